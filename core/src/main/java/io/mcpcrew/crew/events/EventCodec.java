package io.mcpcrew.crew.events;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import redis.clients.jedis.resps.StreamEntry;

/**
 * The stream entry format, version 1 (see {@code docs/wire-format/events.md}): one flat field map per event,
 * {@code v type tenant ts priority [source] [correlation_id] data}. Reading is lenient so that entries written by
 * another service (redis-py) decode: missing fields take defaults, unknown type and priority names are kept,
 * unknown fields are ignored.
 */
final class EventCodec {
    static final String VERSION = "v";
    static final String TYPE = "type";
    static final String TENANT = "tenant";
    static final String TIMESTAMP = "ts";
    static final String PRIORITY = "priority";
    static final String SOURCE = "source";
    static final String CORRELATION_ID = "correlation_id";
    static final String DATA = "data";
    /** A random id per published event: a replay after an unknown outcome checks it so the event is stored once. */
    static final String PUBLISH_ID = "pid";

    private EventCodec() {
    }

    static Map<String, String> encode(Event e, String tenant) {
        Map<String, String> f = new LinkedHashMap<>(12);
        f.put(VERSION, "1");
        f.put(TYPE, e.type().name());
        f.put(TENANT, tenant);
        f.put(TIMESTAMP, Long.toString(e.timestamp().toEpochMilli()));
        f.put(PRIORITY, e.priority().name());
        if (e.source() != null) {
            f.put(SOURCE, e.source());
        }
        if (e.correlationId() != null) {
            f.put(CORRELATION_ID, e.correlationId());
        }
        f.put(DATA, e.dataJson());
        f.put(PUBLISH_ID, publishId());
        return f;
    }

    private static final char[] BASE64URL_DIGITS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray();

    /**
     * 64 random bits as 11 base64url characters: a replay compares one id with the entries of a few seconds of one
     * stream; that one of a million of them has the same id has a chance of about 5·10^-14. Short, because every
     * entry carries it.
     */
    static String publishId() {
        long bits = java.util.concurrent.ThreadLocalRandom.current().nextLong();
        char[] c = new char[11];
        for (int i = 10; i >= 0; i--) {
            c[i] = BASE64URL_DIGITS[(int) (bits & 63)];
            bits >>>= 6;
        }
        return new String(c);
    }

    static Event decode(StreamEntry entry) {
        return decode(entry.getID().toString(), entry.getFields());
    }

    static Event decode(String id, Map<String, String> f) {
        Event.Builder b = Event.builder(EventType.read(f.get(TYPE)))
                .id(id)
                .priority(EventPriority.read(f.get(PRIORITY)))
                .timestamp(Instant.ofEpochMilli(timestamp(id, f.get(TIMESTAMP))))
                .rawDataJson(f.getOrDefault(DATA, "null"));
        String tenant = f.get(TENANT);
        if (tenant != null && !tenant.isEmpty()) {
            b.tenantRead(tenant);
        }
        b.sourceRead(f.get(SOURCE));
        b.correlationIdRead(f.get(CORRELATION_ID));
        return b.build();
    }

    /** The {@code ts} field, or the milliseconds part of the entry id when it is missing or not a number. */
    private static long timestamp(String id, String ts) {
        if (ts != null) {
            try {
                return Long.parseLong(ts);
            } catch (NumberFormatException ignored) {
                // fall back to the id
            }
        }
        int dash = id.indexOf('-');
        return Long.parseLong(dash < 0 ? id : id.substring(0, dash));
    }
}
