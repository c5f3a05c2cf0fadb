package io.mcpcrew.crew.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * This node's journals: a slot {@code <dir>/<scope>/slot-<n>} that the node holds with an exclusive file lock while it
 * runs (the lowest free one), with one {@code <component>.journal} per component. The scope names the Redis target and
 * key prefix, so a journal is only ever replayed to the Redis it was meant for. At open, slots of the same scope that
 * no running process holds (a node that crashed and was not restarted with this directory) are adopted: their records
 * are appended to this node's journals and their files removed, so some node replays them. Replays are idempotent,
 * so a crash half-way through an adoption loses nothing and writes nothing twice.
 */
public final class JournalDirectory implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(JournalDirectory.class.getName());
    private static final String SUFFIX = ".journal";
    private static final int MAX_SLOTS = 1000;

    private final Path slot;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Map<String, FileJournal> journals = new ConcurrentHashMap<>();

    private JournalDirectory(Path slot, FileChannel lockChannel, FileLock lock) {
        this.slot = slot;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Takes the lowest free slot under {@code base/scope} and adopts the journals of unheld slots. */
    public static JournalDirectory open(Path base, String scope) {
        Path root = base.resolve(sanitize(scope));
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new JournalException("cannot create the fallback journal directory " + root + ": " + e.getMessage(), e);
        }
        for (int n = 0; n < MAX_SLOTS; n++) {
            Path slot = root.resolve("slot-" + n);
            Held held = tryHold(slot);
            if (held != null) {
                JournalDirectory d = new JournalDirectory(slot, held.channel, held.lock);
                d.adoptOrphans(root);
                return d;
            }
        }
        throw new JournalException("all " + MAX_SLOTS + " journal slots under " + root + " are held by running processes",
                null);
    }

    /** The journal of one component, opened on first use. */
    public Journal journal(String component) {
        return journals.computeIfAbsent(component, c -> FileJournal.open(slot.resolve(c + SUFFIX)));
    }

    public Path slot() {
        return slot;
    }

    private void adoptOrphans(Path root) {
        try (DirectoryStream<Path> slots = Files.newDirectoryStream(root, "slot-*")) {
            for (Path other : slots) {
                if (!other.equals(slot) && Files.isDirectory(other)) {
                    adopt(other);
                }
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot list journal slots under " + root + ": " + e.getMessage(), e);
        }
    }

    private void adopt(Path other) {
        Held held = tryHold(other);
        if (held == null) {
            return; // a running process holds it
        }
        try (held) {
            List<Path> files = new ArrayList<>();
            try (DirectoryStream<Path> s = Files.newDirectoryStream(other, "*" + SUFFIX)) {
                s.forEach(files::add);
            }
            for (Path f : files) {
                String name = f.getFileName().toString();
                String component = name.substring(0, name.length() - SUFFIX.length());
                List<byte[]> records;
                try (FileJournal j = FileJournal.open(f)) {
                    records = j.records();
                }
                Journal mine = journal(component);
                for (byte[] r : records) {
                    mine.append(r);
                }
                Files.delete(f);
                if (!records.isEmpty()) {
                    LOG.log(Level.WARNING, "adopted {0} {1} record(s) left in {2} by a process that is gone; they are "
                            + "written to Redis when it is available", new Object[] {records.size(), component, f});
                }
            }
        } catch (IOException | JournalException e) {
            LOG.log(Level.WARNING, "cannot adopt the journal slot " + other + ": " + e.getMessage(), e);
        }
    }

    private static final class Held implements AutoCloseable {
        final FileChannel channel;
        final FileLock lock;

        Held(FileChannel channel, FileLock lock) {
            this.channel = channel;
            this.lock = lock;
        }

        @Override
        public void close() throws IOException {
            lock.release();
            channel.close();
        }
    }

    private static Held tryHold(Path slot) {
        FileChannel ch = null;
        try {
            Files.createDirectories(slot);
            ch = FileChannel.open(slot.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l = ch.tryLock();
            if (l == null) {
                ch.close();
                return null;
            }
            return new Held(ch, l);
        } catch (OverlappingFileLockException e) {
            closeQuietly(ch); // held by this very JVM (another manager)
            return null;
        } catch (IOException e) {
            closeQuietly(ch);
            throw new JournalException("cannot lock the journal slot " + slot + ": " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }

    /** A directory name from a Redis target and key prefix: letters, digits, '.', '-', '_' only. */
    static String sanitize(String scope) {
        StringBuilder b = new StringBuilder(scope.length());
        for (char c : scope.toCharArray()) {
            b.append(Character.isLetterOrDigit(c) && c < 128 || c == '.' || c == '-' ? c : '_');
        }
        return b.toString();
    }

    @Override
    public void close() {
        journals.values().forEach(FileJournal::close);
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            LOG.log(Level.FINE, "releasing " + slot, e);
        }
    }
}
