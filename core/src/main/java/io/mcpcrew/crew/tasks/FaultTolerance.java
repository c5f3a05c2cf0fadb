package io.mcpcrew.crew.tasks;

/**
 * How the dispatcher reads the MicroProfile Fault Tolerance exceptions a handler's own annotations throw. A
 * {@code @Timeout} firing ({@code TimeoutException}) is an ordinary failed attempt; a {@code @Bulkhead} rejection
 * ({@code BulkheadException}) means the handler did not run, so the task is deferred without spending its attempt.
 * Recognised by class name: outside a server the MicroProfile classes are not on the class path.
 */
final class FaultTolerance {
    static final String BULKHEAD_EXCEPTION = "org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException";

    private FaultTolerance() {
    }

    /** Whether {@code e} (or a cause of it, as an EJB container may wrap it) is a bulkhead rejection. */
    static boolean isBulkheadRejection(Throwable e) {
        Throwable t = e;
        for (int depth = 0; t != null && depth < 16; depth++, t = t.getCause()) {
            for (Class<?> c = t.getClass(); c != null; c = c.getSuperclass()) {
                if (BULKHEAD_EXCEPTION.equals(c.getName())) {
                    return true;
                }
            }
        }
        return false;
    }
}
