package io.mcpcrew.crew.journal;

import java.util.List;

/**
 * An append-only record log of one component's fallback writes. {@link #append} returns once the record is on disk
 * (forced); {@link #records()} gives what is there, oldest first (what a previous process left, at start-up);
 * {@link #rewrite} replaces the content atomically (compaction, or the rest after a partial write-back). Records are
 * opaque bytes: each component encodes its own. {@link #NONE} keeps nothing (journal disabled).
 */
public interface Journal {

    /** Appends one record and forces it to disk. Throws {@link JournalException} when it cannot. */
    void append(byte[] record);

    /** The records in the journal, oldest first. */
    List<byte[]> records();

    /** Atomically replaces the journal's content with {@code records} (an empty list clears it). */
    void rewrite(List<byte[]> records);

    /** Records appended since the last rewrite plus those it wrote. */
    int count();

    /** Bytes on disk. */
    long bytes();

    /** A journal that keeps nothing: buffered writes then live only in memory. */
    Journal NONE = new Journal() {
        @Override
        public void append(byte[] record) {
        }

        @Override
        public List<byte[]> records() {
            return List.of();
        }

        @Override
        public void rewrite(List<byte[]> records) {
        }

        @Override
        public int count() {
            return 0;
        }

        @Override
        public long bytes() {
            return 0;
        }
    };
}
