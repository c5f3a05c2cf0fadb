package io.mcpcrew.crew.events;

import io.mcpcrew.crew.tenancy.TenantRedis;
import io.mcpcrew.crew.validation.Names;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import redis.clients.jedis.params.XTrimParams;

/**
 * A stream's retention beyond the {@code MAXLEN ~} every {@code XADD} carries: {@code XTRIM MINID} of entries older
 * than the stream's max-age after a publish (at most once a second per stream and node), and {@link #trim} on request.
 */
final class StreamTrimmer {
    private static final Logger LOG = Logger.getLogger(StreamTrimmer.class.getName());

    private final EventSettings settings;
    private final Map<String, Long> nextAgeTrim = new ConcurrentHashMap<>();

    StreamTrimmer(EventSettings settings) {
        this.settings = settings;
    }

    /** XTRIM MINID (exact) of entries older than max-age, at most once a second per stream and node. */
    void trimByAgeIfDue(TenantRedis t, String stream, String key) {
        long maxAge = settings.retention(stream).maxAge().toMillis();
        if (maxAge <= 0) {
            return;
        }
        long now = System.currentTimeMillis();
        Long next = nextAgeTrim.get(key);
        if (next != null && now < next) {
            return;
        }
        nextAgeTrim.put(key, now + 1000);
        String minId = (now - maxAge) + "-0";
        try {
            t.execute(j -> j.xtrim(key, XTrimParams.xTrimParams().minId(minId).exactTrimming()));
        } catch (RuntimeException e) {
            // best effort: the event is written; a failed trim must not make the caller buffer it a second time
            nextAgeTrim.remove(key);
            LOG.log(Level.FINE, "trimming " + key + " by age failed; retried on the next publish", e);
        }
    }

    /** Applies the stream's retention now (MAXLEN ~ and MINID by age); returns how many entries were removed. */
    long trim(TenantRedis t, String stream) {
        Names.require("stream name", stream);
        String key = StreamKeys.stream(t, stream);
        EventSettings.Retention r = settings.retention(stream);
        long removed = 0;
        if (r.maxLen() > 0) {
            removed += t.execute(j -> j.xtrim(key, XTrimParams.xTrimParams().maxLen(r.maxLen()).approximateTrimming()));
        }
        if (!r.maxAge().isZero()) {
            String minId = (System.currentTimeMillis() - r.maxAge().toMillis()) + "-0";
            removed += t.execute(j -> j.xtrim(key, XTrimParams.xTrimParams().minId(minId).exactTrimming()));
        }
        return removed;
    }
}
