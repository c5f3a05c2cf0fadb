package io.mcpcrew.crew.resilience;

/**
 * A component's writes accepted while Redis was down, waiting to be written to it. The manager's
 * {@link RecoveryWriter} runs every registered write-back on a thread of its own (the managed scheduler in a
 * container) whenever Redis is available and something is pending — whichever thread noticed the recovery.
 * {@link #writeBack()} must be idempotent per item (an item Redis already holds is not written again) and may
 * stop early by throwing {@link io.mcpcrew.crew.redis.RedisUnavailableException}; the rest is retried on the next run.
 */
public interface WriteBack {

    /** What is written back, for the log: "tasks", "events", "sessions". */
    String name();

    /** Items waiting (a cheap check, made once per probe interval). */
    int pending();

    /** Writes the pending items to Redis; returns how many were written. */
    int writeBack();

    /** A write-back from its three parts. */
    static WriteBack of(String name, java.util.function.IntSupplier pending, java.util.function.IntSupplier writeBack) {
        return new WriteBack() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public int pending() {
                return pending.getAsInt();
            }

            @Override
            public int writeBack() {
                return writeBack.getAsInt();
            }
        };
    }
}
