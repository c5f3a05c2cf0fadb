package io.mcpcrew.crew.redis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * Automatic pipelining by flat combining: concurrent callers of {@link #submit} queue their command; a caller that
 * finds a free lane (one of {@code lanes} connections) becomes the combiner, sends every queued command (up to
 * {@code maxBatch}) in one pipeline — one write, one read, one round trip — hands each caller its own reply and
 * wakes it. A caller alone takes the direct path (no pipeline, no hand-off), so a single thread pays nothing;
 * eight threads share round trips, which saves Redis and the client a read/write system call pair per command.
 *
 * <p>No thread of its own (the combiner is always a caller, so it runs fine inside an application server), no
 * timer, no added latency: a command is sent as soon as a lane is free. Each command keeps its own outcome:
 * a reply, its own error reply as the direct path reports it ({@link JedisRedisManager#replyError}: bad data, or
 * unavailable for a server that cannot serve now), or — when the connection fails — the batch's
 * {@link RedisUnavailableException}. Commands of one batch are not atomic together (each is its own command or
 * script, as it would be without coalescing) — except that items of one {@link BatchScript} become one EVALSHA
 * with all their keys, decided in queue order by one script run (which saves the script's fixed costs).
 */
final class Coalescer {
    private final JedisRedisManager redis;
    private final int maxBatch;
    private final Semaphore lanes;
    private final ConcurrentLinkedQueue<Pending<?>> queue = new ConcurrentLinkedQueue<>();
    private final LongAdder batches = new LongAdder();
    private final LongAdder commands = new LongAdder();

    Coalescer(JedisRedisManager redis, int lanes, int maxBatch) {
        this.redis = redis;
        this.lanes = new Semaphore(lanes);
        this.maxBatch = maxBatch;
    }

    /** Pipelined round trips sent so far, and the commands they carried (their ratio is the mean batch size). */
    long batches() {
        return batches.sum();
    }

    long commands() {
        return commands.sum();
    }

    /** Lanes free right now (all of them whenever no call is in flight: a lane is never lost). */
    int freeLanes() {
        return lanes.availablePermits();
    }

    <T> T submit(PipelinedCall<T> queued, RedisCall<T> direct) {
        return await(new Pending<>(queued, direct, null, null, null));
    }

    /** One key's item of a {@link BatchScript}: merged with the queued items of the same script into one EVALSHA. */
    List<Object> submit(BatchScript script, List<byte[]> keys, List<byte[]> args, PipelinedCall<Object> queued,
            RedisCall<Object> direct) {
        Pending<Object> p = new Pending<>(queued, direct, script, keys, args);
        return BatchReplies.slice(script, await(p), p.index);
    }

    private <T> T await(Pending<T> me) {
        queue.offer(me);
        boolean interrupted = false;
        try {
            for (;;) {
                if (me.takeHandedLane() || lanes.tryAcquire()) {
                    try {
                        combine(me);
                    } finally {
                        passLane();
                    }
                }
                if (me.done) {
                    if (me.leave()) {
                        return me.outcome(redis);
                    }
                    continue; // a lane was handed to us as we finished: combine what is queued before leaving
                }
                // another caller's batch holds this command, or all lanes are busy: it wakes us (done, or a lane)
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(1));
                // the command may already be on the wire: finish like a direct call would (Jedis I/O is not
                // interruptible), without spinning on the flag, and hand the interrupt back after
                interrupted |= Thread.interrupted();
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Hands the lane just used to the oldest queued caller, which then combines without competing for it: that
     * caller must wake anyway (its command is at the head of the queue), so the one wake-up serves both. Frees the
     * lane when nobody is queued. (Freeing it and waking the head instead let a newcomer take the lane first, and
     * the woken caller parked again: a wasted context switch per round trip.)
     */
    private void passLane() {
        for (;;) {
            Pending<?> next = queue.peek();
            if (next == null) {
                lanes.release();
                // a caller that queued after our last poll may have found no free lane and parked
                if (queue.peek() == null || !lanes.tryAcquire()) {
                    return;
                }
                continue;
            }
            if (next.offerLane()) {
                LockSupport.unpark(next.thread);
                return;
            }
            if (next.hasHandedLane()) { // another lane was handed to it: it combines the queue, ours is free
                lanes.release();
                return;
            }
            // next has left the queue (another lane's batch took it) and returned: look again
        }
    }

    private void combine(Pending<?> me) {
        List<Pending<?>> batch = new ArrayList<>();
        Pending<?> p;
        while (batch.size() < maxBatch && (p = queue.poll()) != null) {
            batch.add(p);
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            if (batch.size() == 1) {
                batch.get(0).runDirect(redis);
            } else {
                runPipelined(batch);
            }
        } catch (RuntimeException | Error e) { // nothing may leave a polled command without an outcome
            for (Pending<?> q : batch) {
                if (!q.done) {
                    q.fail(e instanceof RuntimeException ? (RuntimeException) e
                            : new IllegalStateException("coalesced call failed: " + e, e));
                }
            }
            if (e instanceof Error) {
                throw (Error) e;
            }
        }
        for (Pending<?> done : batch) {
            if (done != me) {
                LockSupport.unpark(done.thread);
            }
        }
    }

    private void runPipelined(List<Pending<?>> batch) {
        // items of one BatchScript become one EVALSHA with all their keys (a group); others are queued as they are
        Map<BatchScript, List<Pending<?>>> groups = null;
        List<Pending<?>> singles = new ArrayList<>(batch.size());
        for (Pending<?> p : batch) {
            if (p.script != null) {
                if (groups == null) {
                    groups = new LinkedHashMap<>();
                }
                groups.computeIfAbsent(p.script, k -> new ArrayList<>()).add(p);
            } else {
                singles.add(p);
            }
        }
        List<List<Pending<?>>> sent = new ArrayList<>();
        if (groups != null) {
            for (List<Pending<?>> g : groups.values()) {
                if (g.size() == 1) {
                    singles.add(g.get(0));
                } else {
                    sent.add(g);
                }
            }
        }
        for (Pending<?> p : singles) {
            sent.add(List.of(p));
        }
        List<Response<?>> replies = new ArrayList<>(sent.size());
        try {
            redis.execute(j -> {
                try (AbstractPipeline pipeline = j.pipelined()) {
                    for (List<Pending<?>> items : sent) {
                        // a list of one is a plain command or a script item alone; groups have two items or more
                        Response<?> r;
                        try {
                            r = items.size() == 1 ? items.get(0).queued.queue(pipeline) : queueMerged(pipeline, items);
                        } catch (RuntimeException e) { // a caller's command could not be built: its own failure
                            items.forEach(q -> q.fail(e));
                            r = null;
                        }
                        replies.add(r);
                    }
                    pipeline.sync();
                }
                return null;
            }, redis.pipelineTimer());
        } catch (RuntimeException e) {
            for (Pending<?> p : batch) {
                if (!p.done) {
                    p.fail(e);
                }
            }
            return;
        }
        batches.increment();
        commands.add(batch.size());
        redis.coalesced(batch.size());
        for (int i = 0; i < sent.size(); i++) {
            List<Pending<?>> items = sent.get(i);
            if (replies.get(i) == null) {
                continue; // failed while queueing
            }
            for (int k = 0; k < items.size(); k++) {
                items.get(k).index = k;
                items.get(k).complete(replies.get(i), redis);
            }
        }
    }

    private static Response<Object> queueMerged(AbstractPipeline pipeline, List<Pending<?>> items) {
        BatchScript script = items.get(0).script;
        boolean once = script.sharedArgs() && sameArgs(items);
        List<byte[]> keys = new ArrayList<>(items.size() * script.keysPerItem());
        List<byte[]> args = new ArrayList<>(once ? script.argsPerItem() : items.size() * (items.get(0).args.size() + 1));
        for (Pending<?> p : items) {
            keys.addAll(p.keys);
            if (!once) {
                script.appendArgs(args, p.args);
            }
        }
        if (once) {
            args.addAll(items.get(0).args);
        }
        return pipeline.evalsha(script.script().sha1Bytes(), keys, args);
    }

    private static boolean sameArgs(List<Pending<?>> items) {
        List<byte[]> first = items.get(0).args;
        for (int i = 1; i < items.size(); i++) {
            List<byte[]> other = items.get(i).args;
            for (int a = 0; a < first.size(); a++) {
                if (!java.util.Arrays.equals(first.get(a), other.get(a))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** One caller's command and, once done, its outcome. */
    private static final class Pending<T> {
        private static final int WAITING = 0;
        private static final int HANDED = 1;
        private static final int LEFT = 2;
        final PipelinedCall<T> queued;
        final RedisCall<T> direct;
        final BatchScript script;
        final List<byte[]> keys;
        final List<byte[]> args;
        final Thread thread = Thread.currentThread();
        int index; // this item's place in a merged reply
        /** WAITING, HANDED (a lane was handed to this caller: it must combine and pass it on) or LEFT (returned). */
        private final AtomicInteger lane = new AtomicInteger(WAITING);
        private T result;
        private RuntimeException error;
        private boolean retryDirect;
        volatile boolean done;

        Pending(PipelinedCall<T> queued, RedisCall<T> direct, BatchScript script, List<byte[]> keys, List<byte[]> args) {
            this.queued = queued;
            this.direct = direct;
            this.script = script;
            this.keys = keys;
            this.args = args;
        }

        boolean offerLane() {
            return lane.compareAndSet(WAITING, HANDED);
        }

        boolean hasHandedLane() {
            return lane.get() == HANDED;
        }

        /** True if a lane was handed to this caller (now its own); only the caller's thread calls this. */
        boolean takeHandedLane() {
            if (lane.get() == HANDED) {
                lane.set(WAITING);
                return true;
            }
            return false;
        }

        /** Marks the caller gone, unless a lane was handed to it just now (then it must combine first). */
        boolean leave() {
            return lane.compareAndSet(WAITING, LEFT);
        }

        void runDirect(JedisRedisManager redis) {
            try {
                result = redis.execute(direct);
            } catch (RuntimeException e) {
                error = e;
            }
            done = true;
        }

        @SuppressWarnings("unchecked")
        void complete(Response<?> reply, JedisRedisManager redis) {
            try {
                result = (T) reply.get();
            } catch (JedisNoScriptException e) {
                retryDirect = true; // the direct path loads the script (after SCRIPT FLUSH, a restart, a fail-over)
            } catch (JedisDataException e) {
                error = redis.replyError(e);
            } catch (RuntimeException e) {
                error = e;
            }
            done = true;
        }

        void fail(RuntimeException e) {
            error = e;
            done = true;
        }

        T outcome(JedisRedisManager redis) {
            if (retryDirect) {
                index = 0;
                return redis.execute(direct);
            }
            if (error != null) {
                throw error;
            }
            return result;
        }
    }
}
