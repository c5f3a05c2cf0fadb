package io.mcpcrew.crew.journal;

/** The journal could not be read or written (disk full, permissions): the write it was for is not accepted. */
public class JournalException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public JournalException(String message, Throwable cause) {
        super(message, cause);
    }
}
