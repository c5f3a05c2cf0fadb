package io.mcpcrew.crew.events;

import io.mcpcrew.crew.redis.LuaScript;
import io.mcpcrew.crew.redis.RedisManager;
import io.mcpcrew.crew.tenancy.TenantRedis;
import io.mcpcrew.crew.validation.Names;
import java.util.List;
import java.util.Optional;

/**
 * Redrives dead letters ({@code redrive.lua}): a dead letter's event is published again to its stream as a new
 * entry (a new id and publish id; every consumer group of the stream receives it, as any new event) and the dead
 * letter is removed, in one script on the stream's hash slot. Needs Redis: no fallback (503 while it is down).
 */
final class DeadLetterRedrive {
    private static final LuaScript REDRIVE = LuaScript.fromResource(DeadLetterRedrive.class, "redrive.lua");

    private final EventSettings settings;
    private final StreamTrimmer trimmer;

    DeadLetterRedrive(RedisManager redis, EventSettings settings, StreamTrimmer trimmer) {
        this.settings = settings;
        this.trimmer = trimmer;
        redis.registerScript(REDRIVE);
    }

    /** The new entry id, or empty when {@code stream} has no dead letter {@code deadLetterId}. */
    Optional<String> redrive(TenantRedis t, String stream, String deadLetterId) {
        Names.require("stream name", stream);
        StreamIds.parse("dead-letter id", deadLetterId);
        String key = StreamKeys.stream(t, stream);
        Object id = t.eval(REDRIVE, List.of(key, StreamKeys.dead(t, stream)), List.of(deadLetterId,
                Long.toString(settings.retention(stream).maxLen()), EventCodec.publishId()));
        if (!(id instanceof String)) {
            return Optional.empty(); // the script's false: no such dead letter
        }
        trimmer.trimByAgeIfDue(t, stream, key);
        return Optional.of((String) id);
    }
}
