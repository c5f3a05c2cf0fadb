package io.mcpcrew.crew.paging;

import io.mcpcrew.crew.validation.InvalidInputException;
import io.mcpcrew.crew.validation.Names;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Opaque page cursors: the list's kind and the fields that say where the next page starts (the last item returned,
 * its position), joined by newlines and encoded base64url without padding. A cursor names its list, so one list's
 * cursor given to another, a cursor that is not base64url, or one whose fields do not parse is refused with
 * {@link InvalidInputException} naming the cursor and the rule (HTTP 400). A cursor points at a position, never at
 * data: every field is checked again when it is decoded, as if a caller had typed it.
 */
public final class Cursors {
    /** The longest cursor accepted, in characters. */
    public static final int MAX_LENGTH = 1024;

    private Cursors() {
    }

    /** The cursor of {@code kind} holding {@code fields} (none may hold a newline). */
    public static String encode(String kind, String... fields) {
        StringBuilder sb = new StringBuilder("c1\n").append(kind);
        for (String f : fields) {
            if (f.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("cursor field with a newline: " + Names.quote(f));
            }
            sb.append('\n').append(f);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The {@code count} fields of a cursor of {@code kind}, or {@link InvalidInputException} when {@code cursor} is
     * not such a cursor. Null or empty is not a cursor: callers treat it as "first page" before calling this.
     */
    public static List<String> decode(String kind, String cursor, int count) {
        if (cursor == null || cursor.isEmpty() || cursor.length() > MAX_LENGTH) {
            throw invalid(cursor, kind);
        }
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid(cursor, kind);
        }
        String[] parts = text.split("\n", -1);
        if (parts.length != count + 2 || !parts[0].equals("c1") || !parts[1].equals(kind)) {
            throw invalid(cursor, kind);
        }
        List<String> out = new ArrayList<>(count);
        for (int i = 2; i < parts.length; i++) {
            out.add(parts[i]);
        }
        return out;
    }

    /** The refusal of a cursor that is not one a list of {@code kind} returned. */
    public static InvalidInputException invalid(String cursor, String kind) {
        return new InvalidInputException("invalid cursor " + Names.quote(cursor) + ": must be a nextCursor returned by"
                + " the " + kind + " list, passed back unchanged");
    }

    /** A decimal long field of a cursor, or the refusal of the cursor. */
    public static long number(String field, String cursor, String kind) {
        if (field.isEmpty() || field.length() > 20) {
            throw invalid(cursor, kind);
        }
        try {
            return Long.parseLong(field);
        } catch (NumberFormatException e) {
            throw invalid(cursor, kind);
        }
    }
}
