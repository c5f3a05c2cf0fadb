package io.mcpcrew.crew.tasks;

import static io.mcpcrew.crew.tasks.ScriptValues.flags;
import static io.mcpcrew.crew.tasks.ScriptValues.now;
import static io.mcpcrew.crew.tasks.ScriptValues.num;
import static io.mcpcrew.crew.tasks.ScriptValues.str;
import static io.mcpcrew.crew.tasks.ScriptValues.ttlMillis;

import io.mcpcrew.crew.redis.DataType;
import io.mcpcrew.crew.tenancy.TenantRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link TaskLeases} on Redis: each call is one Lua script over the queue's keys ({@link TaskKeys}, one hash tag),
 * so it is atomic and runs on Redis Cluster. Cheap to create; holds no state of its own.
 */
final class RedisTaskLeases extends RedisQueueView implements TaskLeases {

    RedisTaskLeases(TenantRedis redis, String queue) {
        super(redis, queue);
    }

    @Override
    public String queue() {
        return queue;
    }

    @Override
    @SuppressWarnings("unchecked")
    public ClaimBatch ackAndClaim(List<Task> done, List<String> results, int max, Duration lease) {
        if (done.size() != results.size()) {
            throw new IllegalArgumentException(done.size() + " tasks but " + results.size() + " results");
        }
        if (done.isEmpty() && max < 1) {
            return new ClaimBatch(List.of(), List.of());
        }
        List<String> args = new ArrayList<>(7 + done.size() * 3);
        args.add(keys.taskPrefix);
        args.add(now());
        args.add(Integer.toString(Math.max(0, max)));
        args.add(Long.toString(lease.toMillis()));
        args.add(max > 0 ? RedisTaskQueue.newId().substring(0, 12) + "." : "");
        args.add(ttlMillis(redis, DataType.DEAD_LETTER));
        args.add(ttlMillis(redis, DataType.TASK_RESULT));
        for (int i = 0; i < done.size(); i++) {
            Task t = done.get(i);
            args.add(t.id());
            args.add(t.leaseToken);
            String result = results.get(i);
            args.add(result == null ? "" : result);
        }
        List<Object> r = (List<Object>) redis.eval(RedisTaskQueues.CLAIM, keys.queueKeys(), args);
        List<Object> c = (List<Object>) r.get(1);
        List<Task> claimed = new ArrayList<>(c.size() / 5);
        for (int i = 0; i + 4 < c.size(); i += 5) {
            TaskSpec spec = TaskSpec.parse(str(c.get(i + 3)));
            claimed.add(new Task(tenant(), queue, str(c.get(i)), spec.name(), str(c.get(i + 4)), spec.priority(),
                    (int) num(c.get(i + 2)), spec.maxAttempts(), str(c.get(i + 1)), spec.timeoutMillis(),
                    spec.backoffBaseMillis(), spec.backoffCapMillis()));
        }
        return new ClaimBatch(flags((List<Object>) r.get(0)), claimed);
    }

    @Override
    public Optional<TaskState> fail(Task task, Throwable error) {
        long delay = Backoff.delayMillis(task.backoffBaseMillis, task.backoffCapMillis, task.attempt());
        boolean permanent = error instanceof PermanentTaskFailure;
        Object r = redis.eval(RedisTaskQueues.FAIL, List.of(keys.running, keys.retry, keys.dead, keys.meta),
                List.of(keys.taskPrefix, task.id(), task.leaseToken, now(), Backoff.errorMessage(error),
                        Backoff.stackSummary(error), Long.toString(delay), ttlMillis(redis, DataType.DEAD_LETTER),
                        permanent ? "1" : "0"));
        return "LOST".equals(r) ? Optional.empty() : Optional.of(TaskState.valueOf((String) r));
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<Boolean> renew(List<Task> tasks, Duration lease) {
        if (tasks.isEmpty()) {
            return List.of();
        }
        List<String> args = new ArrayList<>(1 + tasks.size());
        args.add(Long.toString(System.currentTimeMillis() + lease.toMillis()));
        for (Task t : tasks) {
            args.add(t.leaseToken);
        }
        return flags((List<Object>) redis.eval(RedisTaskQueues.RENEW, List.of(keys.running), args));
    }

    @Override
    public int release(List<Task> tasks) {
        if (tasks.isEmpty()) {
            return 0;
        }
        List<String> args = new ArrayList<>(1 + tasks.size() * 2);
        args.add(keys.taskPrefix);
        for (Task t : tasks) {
            args.add(t.id());
            args.add(t.leaseToken);
        }
        return (int) num(redis.eval(RedisTaskQueues.RELEASE, keys.withPending(keys.running), args));
    }
}
