package io.mcpcrew.crew.ratelimit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The bounded per-key states of a local fallback ({@link LocalSlidingWindow}, {@link LocalQuotas}): at most
 * {@code maxKeys} keys; when full, keys whose state counts nothing any more are dropped first, then the least
 * recently used. A state is used under its own lock ({@code synchronized}), which eviction takes too.
 *
 * @param <S> the state of one key
 */
final class LocalStates<S extends LocalStates.State> {
    /** One key's state, as eviction sees it. */
    interface State {
        /** True if the state counts nothing at {@code now} (it may be dropped). */
        boolean idle(long now);

        /** When it was last used, on the clock of {@code now}. */
        long lastUsed();
    }

    private final Map<String, S> states = new ConcurrentHashMap<>();
    private final int maxKeys;
    private final Supplier<S> fresh;

    LocalStates(int maxKeys, Supplier<S> fresh) {
        this.maxKeys = maxKeys;
        this.fresh = fresh;
    }

    /** The state of {@code key}, made (after an eviction when full) if there is none. */
    S get(String key, long now) {
        S s = states.get(key);
        if (s == null) {
            if (states.size() >= maxKeys) {
                evict(now);
            }
            s = states.computeIfAbsent(key, k -> fresh.get());
        }
        return s;
    }

    /** The state of {@code key}, or null when there is none (a read that must not make one). */
    S find(String key) {
        return states.get(key);
    }

    void clear() {
        states.clear();
    }

    int size() {
        return states.size();
    }

    private void evict(long now) {
        String oldestKey = null;
        S oldest = null;
        for (Map.Entry<String, S> e : states.entrySet()) {
            S s = e.getValue();
            synchronized (s) {
                if (s.idle(now)) {
                    states.remove(e.getKey(), s);
                } else if (oldest == null || s.lastUsed() - oldest.lastUsed() < 0) {
                    oldest = s;
                    oldestKey = e.getKey();
                }
            }
        }
        if (states.size() >= maxKeys && oldestKey != null) {
            states.remove(oldestKey, oldest);
        }
    }
}
