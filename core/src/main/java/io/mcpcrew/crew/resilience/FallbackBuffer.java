package io.mcpcrew.crew.resilience;

import io.mcpcrew.crew.journal.Journal;
import io.mcpcrew.crew.journal.JournalException;
import io.mcpcrew.crew.journal.RecordCodec;
import io.mcpcrew.crew.redis.RedisUnavailableException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A bounded, ordered buffer of writes accepted while Redis is down (events to publish, tasks to enqueue), written to
 * Redis in order when it is back. Never drops silently: {@link #add} on a full buffer throws
 * {@link FallbackBufferFullException}, and a flush that fails keeps the unflushed items, in order, at the head.
 *
 * <p>With a {@link Journal}, an item is on disk before {@link #add} returns, and the items a previous process left in
 * the journal are loaded at construction: a node that crashes during an outage writes them when it runs again. The
 * journal is compacted to the items still waiting when a flush empties the buffer, or when it holds more than twice
 * as many records as wait; a crash between a write to Redis and that compaction replays the item, which is why every
 * flush writer must be idempotent.
 */
public final class FallbackBuffer<T> {
    private static final Logger LOG = Logger.getLogger(FallbackBuffer.class.getName());

    private final String name;
    private final int capacity;
    private final Deque<T> items = new ArrayDeque<>();
    private final Object flushLock = new Object();
    private final Journal journal;
    private final RecordCodec<T> codec;
    /** Appends share the read side (their journal forces are grouped); compaction takes the write side. */
    private final ReadWriteLock journalLock = new ReentrantReadWriteLock();
    private int reserved;
    /** items.size(), readable without the lock: publish and enqueue check it on every call. */
    private volatile int size;

    /** A buffer in memory only. */
    public FallbackBuffer(String name, int capacity) {
        this(name, capacity, Journal.NONE, null);
    }

    /** A buffer whose items are also kept in {@code journal}; loads what the journal holds. */
    public FallbackBuffer(String name, int capacity, Journal journal, RecordCodec<T> codec) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.name = name;
        this.capacity = capacity;
        this.journal = journal;
        this.codec = codec;
        if (journal != Journal.NONE) {
            for (byte[] r : journal.records()) {
                try {
                    items.addLast(codec.decode(r));
                } catch (RuntimeException e) {
                    LOG.log(Level.SEVERE, "a journaled " + name + " record cannot be read and is skipped: " + e, e);
                }
            }
            size = items.size();
            if (!items.isEmpty()) {
                LOG.log(Level.WARNING, "{0} {1} write(s) accepted while Redis was down were left by a previous run; "
                        + "they are written to Redis when it is available", new Object[] {items.size(), name});
            }
        }
    }

    /** Appends an item, or throws {@link FallbackBufferFullException} when {@code capacity} items wait already. */
    public void add(T item) {
        addAll(List.of(item));
    }

    /** Appends all of {@code batch} or none (throws {@link FallbackBufferFullException} if they do not fit). */
    public void addAll(List<T> batch) {
        synchronized (this) {
            if (capacity - items.size() - reserved < batch.size()) {
                throw new FallbackBufferFullException("Redis is unavailable and the local " + name + " buffer is full ("
                        + (items.size() + reserved) + " of " + capacity + " items waiting"
                        + (batch.size() > 1 ? ", " + batch.size() + " more do not fit" : "")
                        + "); the write was not accepted — retry later");
            }
            reserved += batch.size();
        }
        try {
            if (journal == Journal.NONE) {
                synchronized (this) {
                    items.addAll(batch);
                    size = items.size();
                }
                return;
            }
            journalLock.readLock().lock();
            try {
                for (T item : batch) {
                    journal.append(codec.encode(item));
                }
                synchronized (this) {
                    items.addAll(batch);
                    size = items.size();
                }
            } catch (JournalException e) {
                journalLock.readLock().unlock();
                try {
                    compact(true); // drop any record of this batch that did reach the journal
                } catch (JournalException again) {
                    e.addSuppressed(again);
                } finally {
                    journalLock.readLock().lock();
                }
                throw new RedisUnavailableException("Redis is unavailable and the local " + name + " journal cannot "
                        + "keep the write (" + e.getMessage() + "); nothing was accepted — retry later", e, false);
            } finally {
                journalLock.readLock().unlock();
            }
        } finally {
            synchronized (this) {
                reserved -= batch.size();
            }
        }
    }

    public int size() {
        return size;
    }

    public int capacity() {
        return capacity;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /**
     * For the Redis side of a write: throws (as unavailable, nothing sent) while earlier writes still wait here, so the
     * caller's {@link io.mcpcrew.crew.redis.RedisManager#withFallback} queues this one behind them and the order of acceptance is kept.
     */
    public void requireEmpty() {
        if (size != 0) {
            throw new RedisUnavailableException("earlier " + name + " writes still wait in the local buffer", null, false);
        }
    }

    /**
     * {@link #requireEmpty} for one order: throws (as unavailable, nothing sent) while an earlier write of the same
     * order ({@code sameOrder}: e.g. of the same queue or stream) waits here. Writes of other orders go to Redis
     * meanwhile, so on a Redis Cluster the items of a master that is down do not hold up the other masters' writes.
     */
    public void requireNoneWaiting(Predicate<T> sameOrder, String what) {
        if (anyMatch(sameOrder)) {
            throw new RedisUnavailableException("earlier " + name + " writes of " + what + " still wait in the local "
                    + "buffer", null, false);
        }
    }

    /** True if a waiting item matches (false at once, without the lock, while the buffer is empty). */
    public boolean anyMatch(Predicate<T> test) {
        if (size == 0) {
            return false;
        }
        synchronized (this) {
            for (T t : items) {
                if (test.test(t)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Records in the journal (0 without one). */
    public int journaled() {
        return journal.count();
    }

    /**
     * Hands items to {@code writer} in order of acceptance within each order ({@code orderOf}: e.g. the queue or the
     * stream of an item): when the writer returns false or throws for an item, that item and every later item of its
     * order stay buffered, in order, and the items of the other orders are still written (on a Redis Cluster, the
     * items of a master that is down wait; the others go). One flush at a time. Returns how many items were written.
     */
    public int flush(Predicate<T> writer, java.util.function.Function<T, ?> orderOf) {
        synchronized (flushLock) {
            int written = 0;
            java.util.Set<Object> held = new java.util.HashSet<>();
            // the first heldAhead items are all of held orders (nothing before the item written next is ever written,
            // and appends go to the tail), so each scan passes them without asking their order again
            int heldAhead = 0;
            try {
                while (true) {
                    T next = null;
                    synchronized (this) {
                        int at = 0;
                        for (T t : items) {
                            if (at++ < heldAhead) {
                                continue;
                            }
                            if (!held.isEmpty() && held.contains(orderOf.apply(t))) {
                                heldAhead++;
                                continue;
                            }
                            next = t;
                            break;
                        }
                    }
                    if (next == null) {
                        return written;
                    }
                    boolean ok;
                    try {
                        ok = writer.test(next);
                    } catch (RuntimeException e) {
                        ok = false;
                    }
                    if (!ok) {
                        held.add(orderOf.apply(next));
                        heldAhead++; // it was the first item after the held ones
                        continue;
                    }
                    synchronized (this) {
                        removeFirst(next);
                        size = items.size();
                    }
                    written++;
                }
            } finally {
                if (written > 0) {
                    compact(false);
                }
            }
        }
    }

    /** Removes {@code item} itself (the first element that is this very object). */
    private void removeFirst(T item) {
        for (java.util.Iterator<T> it = items.iterator(); it.hasNext();) {
            if (it.next() == item) {
                it.remove();
                return;
            }
        }
    }

    /**
     * Hands items to {@code writer} in order until it returns false or throws; the failed item and all after it
     * stay buffered. One flush at a time. Returns how many items were written.
     */
    public int flush(Predicate<T> writer) {
        return flush(writer, t -> Boolean.TRUE); // one order: the first failure holds every item after it
    }

    /** Rewrites the journal to the items still waiting: always, or when they are none or the journal is mostly done. */
    private void compact(boolean always) {
        if (journal == Journal.NONE) {
            return;
        }
        journalLock.writeLock().lock();
        try {
            List<T> left;
            synchronized (this) {
                int waiting = items.size();
                if (!always && waiting > 0 && journal.count() <= 2 * waiting + 64) {
                    return;
                }
                left = new ArrayList<>(items);
            }
            List<byte[]> records = new ArrayList<>(left.size());
            for (T t : left) {
                records.add(codec.encode(t));
            }
            journal.rewrite(records);
        } finally {
            journalLock.writeLock().unlock();
        }
    }
}
