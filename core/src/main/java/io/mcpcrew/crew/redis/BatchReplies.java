package io.mcpcrew.crew.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts one key's replies out of a {@link BatchScript}'s reply and turns an item error into an exception: a "not
 * serving" error ({@link JedisErrors#isNotServing}) into {@link RedisUnavailableException}, any other into
 * {@link RedisDataException}.
 */
final class BatchReplies {
    private BatchReplies() {
    }

    static List<Object> slice(BatchScript script, Object reply, int index) {
        if (!(reply instanceof List)) {
            throw new RedisDataException(script + " answered " + reply + ", not a list", null);
        }
        List<?> all = (List<?>) reply;
        int n = script.repliesPerItem();
        int shared = script.sharedReplies();
        if (all.size() < (index + 1) * n + shared) {
            throw new RedisDataException(script + " answered " + all.size() + " replies; item " + index + " needs "
                    + ((index + 1) * n + shared), null);
        }
        List<Object> mine = new ArrayList<>(n + shared);
        mine.addAll(all.subList(index * n, (index + 1) * n));
        mine.addAll(all.subList(all.size() - shared, all.size()));
        Object first = mine.get(0);
        if (first instanceof byte[] || first instanceof String) {
            String msg = first instanceof byte[] ? new String((byte[]) first, StandardCharsets.UTF_8) : (String) first;
            if (JedisErrors.isNotServing(msg)) {
                // e.g. NOREPLICAS (min-replicas-to-write) or READONLY met by the item's first write: nothing applied
                throw new RedisUnavailableException("Redis is not serving writes: " + msg, null, false);
            }
            throw new RedisDataException("Redis rejected the command: " + msg, null);
        }
        return mine;
    }
}
