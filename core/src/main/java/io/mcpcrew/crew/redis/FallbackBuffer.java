package io.mcpcrew.crew.redis;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Predicate;

/**
 * A bounded, ordered, in-memory buffer of writes accepted while Redis is down (events to publish, tasks to
 * enqueue), flushed in order when it is back. Never drops silently: {@link #add} on a full buffer throws
 * {@link FallbackBufferFullException}, and a flush that fails keeps the unflushed items, in order, at the head.
 */
public final class FallbackBuffer<T> {
    private final String name;
    private final int capacity;
    private final Deque<T> items = new ArrayDeque<>();
    private final Object flushLock = new Object();

    public FallbackBuffer(String name, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.name = name;
        this.capacity = capacity;
    }

    /** Appends an item, or throws {@link FallbackBufferFullException} when {@code capacity} items wait already. */
    public synchronized void add(T item) {
        if (items.size() >= capacity) {
            throw new FallbackBufferFullException("Redis is unavailable and the local " + name + " buffer is full ("
                    + capacity + " items waiting); the write was not accepted — retry later");
        }
        items.addLast(item);
    }

    public synchronized int size() {
        return items.size();
    }

    public int capacity() {
        return capacity;
    }

    public synchronized boolean isEmpty() {
        return items.isEmpty();
    }

    /**
     * Hands items to {@code writer} in order until it returns false or throws; the failed item and all after it
     * stay buffered. One flush at a time. Returns how many items were written.
     */
    public int flush(Predicate<T> writer) {
        synchronized (flushLock) {
            int written = 0;
            while (true) {
                T next;
                synchronized (this) {
                    next = items.peekFirst();
                }
                if (next == null) {
                    return written;
                }
                boolean ok;
                try {
                    ok = writer.test(next);
                } catch (RuntimeException e) {
                    return written;
                }
                if (!ok) {
                    return written;
                }
                synchronized (this) {
                    items.pollFirst();
                }
                written++;
            }
        }
    }
}
