package io.mcpcrew.crew.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.CRC32;

/**
 * {@link Journal} in one file: records of {@code [length:int][crc32:int][bytes]}, appended and forced
 * ({@code fdatasync}) one call at a time; concurrent appenders share a force (group commit: whoever forces covers every
 * record written before it). Reading stops at the first record that is cut short or fails its checksum — the tail of
 * an append that a crash interrupted, which was never acknowledged. {@link #rewrite} writes a temporary file, forces
 * it and renames it over the journal.
 */
public final class FileJournal implements Journal, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(FileJournal.class.getName());
    private static final int HEADER = 8;
    /** Largest record accepted (a task payload is at most 1 MiB by default; its JSON envelope adds little). */
    static final int MAX_RECORD = 64 * 1024 * 1024;

    private final Path file;
    private final Object writeLock = new Object();
    private final Object forceLock = new Object();
    private FileChannel channel;
    private long written; // bytes written (under writeLock)
    private volatile long forced; // bytes known on disk
    private int count;
    private long validLength; // set by read(): where the last whole record ends

    private FileJournal(Path file) {
        this.file = file;
    }

    /** Opens (creating if needed) the journal file; the records found are returned by {@link #records()}. */
    public static FileJournal open(Path file) {
        FileJournal j = new FileJournal(file);
        try {
            Files.createDirectories(file.getParent());
            j.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            List<byte[]> found = j.read();
            j.count = found.size();
            long valid = j.validLength;
            if (valid < j.channel.size()) {
                LOG.log(Level.WARNING, "journal {0}: {1} byte(s) after the last whole record are an interrupted append "
                        + "(never acknowledged); dropped", new Object[] {file, j.channel.size() - valid});
                j.channel.truncate(valid);
                j.channel.force(true);
            }
            j.written = valid;
            j.forced = valid;
            j.channel.position(valid);
            return j;
        } catch (IOException e) {
            j.closeQuietly();
            throw new JournalException("cannot open the fallback journal " + file + ": " + e.getMessage(), e);
        }
    }

    private List<byte[]> read() throws IOException {
        List<byte[]> out = new ArrayList<>();
        long size = channel.size();
        long pos = 0;
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        while (pos + HEADER <= size) {
            header.clear();
            readFully(header, pos);
            header.flip();
            int len = header.getInt();
            int crc = header.getInt();
            if (len < 0 || len > MAX_RECORD || pos + HEADER + len > size) {
                break;
            }
            ByteBuffer body = ByteBuffer.allocate(len);
            readFully(body, pos + HEADER);
            byte[] bytes = body.array();
            if (crc(bytes) != crc) {
                break;
            }
            out.add(bytes);
            pos += HEADER + len;
        }
        validLength = pos;
        return out;
    }

    private void readFully(ByteBuffer b, long at) throws IOException {
        long p = at;
        while (b.hasRemaining()) {
            int n = channel.read(b, p);
            if (n < 0) {
                throw new IOException("unexpected end of " + file);
            }
            p += n;
        }
    }

    private static int crc(byte[] bytes) {
        CRC32 c = new CRC32();
        c.update(bytes);
        return (int) c.getValue();
    }

    private static ByteBuffer frame(byte[] record) {
        if (record.length > MAX_RECORD) {
            throw new JournalException("a journal record of " + record.length + " bytes exceeds the limit of "
                    + MAX_RECORD, null);
        }
        ByteBuffer b = ByteBuffer.allocate(HEADER + record.length);
        b.putInt(record.length).putInt(crc(record)).put(record).flip();
        return b;
    }

    @Override
    public void append(byte[] record) {
        ByteBuffer b = frame(record);
        long end;
        synchronized (writeLock) {
            try {
                while (b.hasRemaining()) {
                    channel.write(b);
                }
            } catch (IOException e) {
                throw new JournalException("cannot append to the fallback journal " + file + ": " + e.getMessage(), e);
            }
            written += b.limit();
            end = written;
            count++;
        }
        if (forced >= end) {
            return;
        }
        synchronized (forceLock) {
            if (forced >= end) {
                return; // another appender's force covered this record
            }
            long upTo;
            synchronized (writeLock) {
                upTo = written;
            }
            try {
                channel.force(false);
            } catch (IOException e) {
                throw new JournalException("cannot force the fallback journal " + file + " to disk: " + e.getMessage(), e);
            }
            forced = upTo;
        }
    }

    @Override
    public List<byte[]> records() {
        synchronized (forceLock) {
            synchronized (writeLock) {
                try {
                    return read();
                } catch (IOException e) {
                    throw new JournalException("cannot read the fallback journal " + file + ": " + e.getMessage(), e);
                }
            }
        }
    }

    @Override
    public void rewrite(List<byte[]> records) {
        synchronized (forceLock) {
            synchronized (writeLock) {
                try {
                    if (records.isEmpty()) {
                        channel.truncate(0);
                        channel.force(true);
                        channel.position(0);
                        written = 0;
                    } else {
                        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
                        long size = 0;
                        try (FileChannel t = FileChannel.open(tmp, StandardOpenOption.CREATE,
                                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                            for (byte[] r : records) {
                                ByteBuffer b = frame(r);
                                while (b.hasRemaining()) {
                                    t.write(b);
                                }
                                size += b.limit();
                            }
                            t.force(true);
                        }
                        channel.close();
                        try {
                            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                        } catch (AtomicMoveNotSupportedException e) {
                            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                        }
                        channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
                        channel.position(size);
                        written = size;
                    }
                    forced = written;
                    count = records.size();
                } catch (IOException e) {
                    throw new JournalException("cannot rewrite the fallback journal " + file + ": " + e.getMessage(), e);
                }
            }
        }
    }

    @Override
    public int count() {
        synchronized (writeLock) {
            return count;
        }
    }

    @Override
    public long bytes() {
        synchronized (writeLock) {
            return written;
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() {
        synchronized (forceLock) {
            synchronized (writeLock) {
                closeQuietly();
            }
        }
    }

    private void closeQuietly() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.log(Level.FINE, "closing " + file, e);
            }
        }
    }
}
