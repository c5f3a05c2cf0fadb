package io.mcpcrew.crew.sessions;

import io.mcpcrew.crew.journal.Journal;
import io.mcpcrew.crew.journal.JournalException;
import io.mcpcrew.crew.journal.Record;
import io.mcpcrew.crew.redis.RedisUnavailableException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The local session store's journal: a record per change — the session's whole new state ("P") or its removal
 * ("R") — stamped with a per-session version, so that loading keeps the highest version of each session whatever
 * order concurrent changes reached the file in. Compacted to one record per held session when it holds more than
 * twice as many records as sessions, and after each write-back. Without a journal ({@link Journal#NONE}) it keeps
 * nothing.
 */
final class SessionJournal {
    private static final Logger LOG = Logger.getLogger(SessionJournal.class.getName());
    private static final int FORMAT = 1;

    private final Journal journal;
    /** Appends share the read side; compaction takes the write side (never while holding a session's monitor). */
    private final ReadWriteLock lock = new ReentrantReadWriteLock();

    SessionJournal(Journal journal) {
        this.journal = journal;
    }

    /** The sessions the journal holds (the latest state of each, expired ones included), by store key. */
    Map<String, LocalSessionStore.LocalSession> load() {
        Map<String, LocalSessionStore.LocalSession> latest = new HashMap<>();
        Map<String, Long> versions = new HashMap<>();
        for (byte[] r : journal.records()) {
            try {
                Record.Reader in = Record.read(r, FORMAT);
                String kind = in.str();
                String tenant = in.str();
                String id = in.str();
                long version = in.lng();
                String key = LocalSessionStore.mapKey(tenant, id);
                if (versions.getOrDefault(key, Long.MIN_VALUE) > version) {
                    continue;
                }
                versions.put(key, version);
                if ("R".equals(kind)) {
                    latest.remove(key);
                } else {
                    LocalSessionStore.LocalSession s = new LocalSessionStore.LocalSession(tenant, id, in.str(), in.lng(),
                            in.lng());
                    s.lastAccessedAt = in.lng();
                    s.expiresAt = in.lng();
                    s.dataBytes = in.lng();
                    s.data.putAll(in.map());
                    s.version = version;
                    latest.put(key, s);
                }
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "a journaled session record cannot be read and is skipped: " + e, e);
            }
        }
        return latest;
    }

    /** The record of a session's current state (a new version); call while holding its monitor. */
    static byte[] putRecord(LocalSessionStore.LocalSession s) {
        s.version++;
        return Record.write(FORMAT).str("P").str(s.tenant).str(s.id).lng(s.version).str(s.userId).lng(s.createdAt)
                .lng(s.ttlMs).lng(s.lastAccessedAt).lng(s.expiresAt).lng(s.dataBytes).map(s.data).bytes();
    }

    /** The record of a session's removal (a new version); call while holding its monitor. */
    static byte[] removeRecord(LocalSessionStore.LocalSession s) {
        s.version++;
        return Record.write(FORMAT).str("R").str(s.tenant).str(s.id).lng(s.version).bytes();
    }

    /**
     * Appends a record made under a session's monitor (call after releasing it); true when the journal has grown past
     * twice the {@code held} sessions and should be {@link #compact compacted}.
     */
    boolean append(byte[] record, int held) {
        if (journal == Journal.NONE) {
            return false;
        }
        lock.readLock().lock();
        try {
            journal.append(record);
        } catch (JournalException e) {
            throw new RedisUnavailableException("Redis is unavailable and the local session journal cannot keep the "
                    + "change (" + e.getMessage() + ") — retry later", e, false);
        } finally {
            lock.readLock().unlock();
        }
        return journal.count() > 2 * held + 64;
    }

    /** Rewrites the journal to one record per session held now. */
    void compact(Collection<LocalSessionStore.LocalSession> held) {
        if (journal == Journal.NONE) {
            return;
        }
        lock.writeLock().lock();
        try {
            List<byte[]> records = new ArrayList<>(held.size());
            for (LocalSessionStore.LocalSession s : held) {
                synchronized (s) {
                    s.version--; // putRecord bumps it: the rewritten record keeps the current version
                    records.add(putRecord(s));
                }
            }
            journal.rewrite(records);
        } finally {
            lock.writeLock().unlock();
        }
    }
}
