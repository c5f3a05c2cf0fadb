package io.mcpcrew.crew.validation;

import java.util.regex.Pattern;

/**
 * The one rule for tenant ids and names (streams, queues, models, resources, users):
 * {@code [A-Za-z0-9][A-Za-z0-9_-]{0,63}}. It keeps every key segment free of {@code :}, hash-tag braces,
 * glob characters, whitespace and non-ASCII, so user input can never change a key's structure or escape its
 * tenant, and can never widen a SCAN pattern.
 */
public final class Names {
    public static final String RULE = "must be 1 to 64 characters from A-Z, a-z, 0-9, '_' and '-', starting with "
            + "a letter or digit";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    private Names() {
    }

    public static boolean isValid(String value) {
        return value != null && NAME.matcher(value).matches();
    }

    /** Returns {@code value} or throws {@link InvalidNameException} naming {@code kind} ("tenant id", ...). */
    public static String require(String kind, String value) {
        if (!isValid(value)) {
            throw new InvalidNameException(kind, value);
        }
        return value;
    }

    public static String tenant(String tenantId) {
        return require("tenant id", tenantId);
    }

    /** Quotes a value for an error message, escaping control characters and cutting it at 80 characters. */
    public static String quote(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder("\"");
        int n = Math.min(value.length(), 80);
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\u%04x", (int) c));
            } else if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else {
                sb.append(c);
            }
        }
        if (value.length() > n) {
            sb.append("...(").append(value.length()).append(" chars)");
        }
        return sb.append('"').toString();
    }
}
