package io.mcpcrew.crew.journal;

/** How a component's buffered write becomes a journal record and back. */
public interface RecordCodec<T> {
    byte[] encode(T item);

    /** Throws an unchecked exception for a record it cannot read (it is then logged and skipped). */
    T decode(byte[] record);
}
