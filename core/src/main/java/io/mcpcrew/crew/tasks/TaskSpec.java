package io.mcpcrew.crew.tasks;

/**
 * The fixed part of a task record, written once at enqueue as one hash field {@code spec}:
 * {@code name|priority|maxAttempts|backoffBaseMs|backoffCapMs|timeoutMs|createdAtMs|idempotencyKey}. Packing it
 * keeps the record to three hash fields at enqueue (spec, payload, state), which is most of the Redis CPU an
 * enqueue costs. No part can hold {@code |}: names and keys follow the name rule, the rest are numbers.
 *
 * @param idempotencyKey the key, or empty for none (null is taken as empty)
 */
record TaskSpec(String name, TaskPriority priority, int maxAttempts, long backoffBaseMillis, long backoffCapMillis,
        long timeoutMillis, long createdAtMillis, String idempotencyKey) {

    TaskSpec {
        idempotencyKey = idempotencyKey == null ? "" : idempotencyKey;
    }

    String format() {
        return name + '|' + priority.name() + '|' + maxAttempts + '|' + backoffBaseMillis + '|' + backoffCapMillis + '|'
                + timeoutMillis + '|' + createdAtMillis + '|' + idempotencyKey;
    }

    static TaskSpec parse(String spec) {
        String[] p = spec.split("\\|", -1);
        if (p.length < 8) {
            throw new IllegalStateException("task spec " + spec + " has " + p.length + " parts, expected 8");
        }
        return new TaskSpec(p[0], TaskPriority.valueOf(p[1]), Integer.parseInt(p[2]), Long.parseLong(p[3]),
                Long.parseLong(p[4]), Long.parseLong(p[5]), Long.parseLong(p[6]), p[7]);
    }
}
