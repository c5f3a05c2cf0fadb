package io.mcpcrew.crew.events;

import io.mcpcrew.crew.validation.InvalidInputException;
import io.mcpcrew.crew.validation.Names;
import java.util.regex.Pattern;
import redis.clients.jedis.StreamEntryID;

/** Parses and validates stream entry ids given by callers ({@code 1732871234567-0}, {@code 1732871234567}, {@code 0}). */
final class StreamIds {
    private static final Pattern ID = Pattern.compile("\\d{1,19}(-\\d{1,19})?");

    private StreamIds() {
    }

    static StreamEntryID parse(String what, String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new InvalidInputException("invalid " + what + " " + Names.quote(id)
                    + ": must be a stream entry id such as 1732871234567-0 (or 0 for the beginning)");
        }
        try {
            int dash = id.indexOf('-');
            return dash < 0 ? new StreamEntryID(Long.parseLong(id), 0)
                    : new StreamEntryID(Long.parseLong(id.substring(0, dash)), Long.parseLong(id.substring(dash + 1)));
        } catch (NumberFormatException e) {
            throw new InvalidInputException("invalid " + what + " " + Names.quote(id) + ": number out of range");
        }
    }

    static int limit(int limit, int max) {
        if (limit < 1 || limit > max) {
            throw new InvalidInputException("invalid limit " + limit + ": must be from 1 to " + max);
        }
        return limit;
    }
}
