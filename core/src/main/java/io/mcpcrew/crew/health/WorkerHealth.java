package io.mcpcrew.crew.health;

/**
 * Implemented by CDI beans that run background workers (task supervisors, event consumers); the liveness
 * check reports each one and is DOWN if any is not alive.
 */
public interface WorkerHealth {
    /** A short name for the health data, e.g. {@code task-workers}. */
    String workerName();

    boolean alive();

    /** A one-line detail for the health data (threads running, last error, ...). */
    default String detail() {
        return "";
    }
}
