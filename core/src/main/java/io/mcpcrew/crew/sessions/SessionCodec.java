package io.mcpcrew.crew.sessions;

import io.mcpcrew.crew.validation.InvalidInputException;
import io.mcpcrew.crew.validation.Json;
import io.mcpcrew.crew.validation.Names;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The session hash format (see {@code docs/wire-format/sessions.md}): metadata fields ({@code userId},
 * {@code createdAt}, {@code lastAccessedAt}, {@code expiresAt} in epoch milliseconds, {@code ttlMs},
 * {@code dataBytes}) and one field {@code d:<name>} per data entry holding its JSON value. Also counts data size:
 * per entry, the UTF-8 length of the name plus that of the JSON value.
 */
final class SessionCodec {
    static final String DATA_PREFIX = "d:";
    static final String USER_ID = "userId";
    static final String CREATED_AT = "createdAt";
    static final String LAST_ACCESSED_AT = "lastAccessedAt";
    static final String EXPIRES_AT = "expiresAt";
    static final String TTL_MS = "ttlMs";
    static final String DATA_BYTES = "dataBytes";
    static final int MAX_FIELD_NAME = 256;
    private static volatile JsonReaderFactory readers;

    private SessionCodec() {
    }

    /** The data of a session about to be created: the non-null entries as JSON, and their size. */
    record NewData(Map<String, String> fields, long size) {
    }

    /**
     * Validates what a create gets (user id, TTL, data size) and encodes the data; throws
     * {@link InvalidInputException} / {@link io.mcpcrew.crew.validation.InvalidNameException} naming the rule.
     */
    static NewData checkNew(SessionSettings settings, String userId, Map<String, ?> data, java.time.Duration ttl) {
        Names.require("user id", userId);
        settings.checkTtl(ttl);
        Map<String, String> encoded = encode(data);
        encoded.values().removeIf(java.util.Objects::isNull);
        return new NewData(encoded, checkedSize(encoded, settings.maxDataBytes()));
    }

    /** The JSON of each non-null value, keyed by data field name (validated); null values map to null. */
    static Map<String, String> encode(Map<String, ?> data) {
        if (data == null) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>(data.size() * 2);
        for (Map.Entry<String, ?> e : data.entrySet()) {
            out.put(fieldName(e.getKey()), e.getValue() == null ? null : toJson(e.getValue()));
        }
        return out;
    }

    /** JSON of a value: plain types written directly (the hot path), anything else through JSON-B. */
    static String toJson(Object value) {
        StringBuilder sb = new StringBuilder(32);
        return write(sb, value) ? sb.toString() : Json.toJson(value);
    }

    /** Writes strings, numbers, booleans, null, maps with string keys and lists of those; false for anything else. */
    private static boolean write(StringBuilder sb, Object v) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String) {
            quote(sb, (String) v);
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte
                || v instanceof java.math.BigInteger || v instanceof Boolean) {
            sb.append(v);
        } else if (v instanceof java.math.BigDecimal) {
            sb.append(v);
        } else if (v instanceof Map) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                if (!(e.getKey() instanceof String)) {
                    return false;
                }
                if (!first) {
                    sb.append(',');
                }
                first = false;
                quote(sb, (String) e.getKey());
                sb.append(':');
                if (!write(sb, e.getValue())) {
                    return false;
                }
            }
            sb.append('}');
        } else if (v instanceof List) {
            sb.append('[');
            boolean first = true;
            for (Object x : (List<?>) v) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                if (!write(sb, x)) {
                    return false;
                }
            }
            sb.append(']');
        } else {
            return false; // doubles (NaN, formatting), dates, beans: JSON-B decides
        }
        return true;
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }

    static String fieldName(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_FIELD_NAME) {
            throw new InvalidInputException("invalid session data field name " + Names.quote(name)
                    + ": must be 1 to " + MAX_FIELD_NAME + " characters");
        }
        return name;
    }

    /** Bytes one entry counts towards {@link SessionSettings#maxDataBytes()}. */
    static long entryBytes(String name, String json) {
        return utf8Length(name) + utf8Length(json);
    }

    /** Total size of the non-null entries; throws {@link InvalidInputException} above {@code max}. */
    static long checkedSize(Map<String, String> encoded, int max) {
        long size = 0;
        for (Map.Entry<String, String> e : encoded.entrySet()) {
            if (e.getValue() != null) {
                size += entryBytes(e.getKey(), e.getValue());
            }
        }
        if (size > max) {
            throw tooLarge(size, max);
        }
        return size;
    }

    static InvalidInputException tooLarge(long size, int max) {
        return new InvalidInputException("session data too large: " + size + " bytes, the limit is " + max
                + " bytes (redis.crew.sessions.max-data-bytes; counted as UTF-8 field names plus JSON values)");
    }

    static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** A session from its hash (HGETALL), or null if the hash is empty or not a session. */
    static Session decode(String id, Map<String, String> hash) {
        String user = hash.get(USER_ID);
        if (user == null) {
            return null;
        }
        LinkedHashMap<String, Object> data = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : hash.entrySet()) {
            if (e.getKey().startsWith(DATA_PREFIX)) {
                data.put(e.getKey().substring(DATA_PREFIX.length()), parse(e.getValue()));
            }
        }
        return Session.owning(id, user, data, instant(hash.get(CREATED_AT)), instant(hash.get(LAST_ACCESSED_AT)),
                instant(hash.get(EXPIRES_AT)), Duration.ofMillis(number(hash.get(TTL_MS))));
    }

    /** Lua returns HGETALL as a flat list: field, value, field, value, ... */
    static Map<String, String> pairs(List<?> flat) {
        Map<String, String> m = new LinkedHashMap<>(flat.size());
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            m.put(String.valueOf(flat.get(i)), String.valueOf(flat.get(i + 1)));
        }
        return m;
    }

    private static Instant instant(String ms) {
        return Instant.ofEpochMilli(number(ms));
    }

    private static long number(String s) {
        if (s == null) {
            return 0;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return (long) Double.parseDouble(s);
        }
    }

    /** A JSON text as plain Java values (String, BigDecimal, Boolean, null, Map, List). */
    static Object parse(String json) {
        int n = json.length();
        if (n >= 2 && json.charAt(0) == '"' && json.charAt(n - 1) == '"' && json.indexOf('\\') < 0) {
            return json.substring(1, n - 1); // a string without escapes: the hot path
        }
        if (n > 0 && n < 19 && isInteger(json)) {
            return new java.math.BigDecimal(json);
        }
        switch (json) {
            case "true":
                return Boolean.TRUE;
            case "false":
                return Boolean.FALSE;
            case "null":
                return null;
            default:
                break;
        }
        try (JsonReader r = readers().createReader(new StringReader(json))) {
            return Json.toJava(r.readValue());
        } catch (RuntimeException e) {
            return json; // written by someone else and not JSON: hand back the raw text
        }
    }

    private static boolean isInteger(String s) {
        int i = s.charAt(0) == '-' ? 1 : 0;
        if (i == s.length() || (s.charAt(i) == '0' && s.length() > i + 1)) {
            return false;
        }
        for (; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static JsonReaderFactory readers() {
        JsonReaderFactory f = readers;
        if (f == null) {
            f = jakarta.json.Json.createReaderFactory(Map.of());
            readers = f;
        }
        return f;
    }


}
