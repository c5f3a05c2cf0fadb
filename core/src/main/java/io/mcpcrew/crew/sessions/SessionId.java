package io.mcpcrew.crew.sessions;

import io.mcpcrew.crew.validation.InvalidInputException;
import io.mcpcrew.crew.validation.Names;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Session ids: {@code <userId>.<token>}, where the token is 16 bytes (128 bits) from {@link SecureRandom} in
 * base64url without padding (22 characters). The user part lets every operation find the session's hash slot
 * (its keys are hash-tagged by user, so the session and the user's index change in one script, on Cluster too)
 * without a second lookup; the token alone carries the unguessability. A user id obeys {@link Names#RULE} (no
 * {@code .}), so the split at the first {@code .} is unambiguous.
 *
 * @param value  the whole id, {@code <userId>.<token>}
 * @param userId its user part
 */
public record SessionId(String value, String userId) {
    /** Random bytes per id. */
    public static final int TOKEN_BYTES = 16;
    private static final Pattern FORMAT = Pattern.compile("([A-Za-z0-9][A-Za-z0-9_-]{0,63})\\.([A-Za-z0-9_-]{22})");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    /** Throws {@link InvalidInputException} naming the value and the format unless {@code value} is an id of {@code userId}. */
    public SessionId {
        Matcher m = value == null ? null : FORMAT.matcher(value);
        if (m == null || !m.matches()) {
            throw new InvalidInputException("invalid session id " + Names.quote(value) + ": must be <userId>.<token>, "
                    + "a user id (" + Names.RULE + ") and 22 base64url characters");
        }
        if (!m.group(1).equals(userId)) {
            throw new InvalidInputException("invalid session id " + Names.quote(value) + ": its user part is not "
                    + Names.quote(userId));
        }
    }

    /** A new random id for {@code userId} (validated with {@link Names#require}). */
    public static SessionId newId(String userId) {
        String user = Names.require("user id", userId);
        byte[] raw = new byte[TOKEN_BYTES];
        RANDOM.nextBytes(raw);
        return new SessionId(user + "." + BASE64URL.encodeToString(raw), user);
    }

    /** Parses an id, or throws {@link InvalidInputException} naming the value and the format. */
    public static SessionId parse(String id) {
        int dot = id == null ? -1 : id.indexOf('.');
        return new SessionId(id, dot < 0 ? null : id.substring(0, dot));
    }

    /** The id itself, {@link #value()}. */
    @Override
    public String toString() {
        return value;
    }
}
