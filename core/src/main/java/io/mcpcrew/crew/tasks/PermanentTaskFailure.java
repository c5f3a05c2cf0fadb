package io.mcpcrew.crew.tasks;

/** Thrown by a handler for a failure no retry can fix: the task becomes a dead letter at once. */
public class PermanentTaskFailure extends Exception {
    private static final long serialVersionUID = 1L;

    public PermanentTaskFailure(String message) {
        super(message);
    }

    public PermanentTaskFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
