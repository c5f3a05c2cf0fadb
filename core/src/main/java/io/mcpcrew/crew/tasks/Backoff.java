package io.mcpcrew.crew.tasks;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Retry delays: exponential with "equal jitter". The ceiling after attempt {@code n} is
 * {@code min(cap, base * 2^(n-1))}; the delay is half the ceiling plus a random part of the other half, so
 * retries of tasks that failed together spread out, and no delay exceeds the cap or falls below half the ceiling.
 */
final class Backoff {
    private Backoff() {
    }

    /** The ceiling of the delay after {@code attempt} (1-based), in milliseconds. */
    static long ceilingMillis(long baseMillis, long capMillis, int attempt) {
        if (baseMillis <= 0) {
            return 0;
        }
        int shift = Math.max(0, Math.min(attempt - 1, 40));
        long d = baseMillis << shift;
        return d < 0 || d > capMillis || (d >> shift) != baseMillis ? capMillis : d;
    }

    /** A jittered delay in {@code [ceiling/2, ceiling]}. */
    static long delayMillis(long baseMillis, long capMillis, int attempt) {
        long ceiling = ceilingMillis(baseMillis, capMillis, attempt);
        long half = ceiling / 2;
        return half + (ceiling - half == 0 ? 0 : ThreadLocalRandom.current().nextLong(ceiling - half + 1));
    }

    /** The exception's class and message, then up to 12 frames (and causes), at most 4,000 characters. */
    static String stackSummary(Throwable e) {
        StringBuilder sb = new StringBuilder();
        Throwable t = e;
        int depth = 0;
        while (t != null && depth < 3 && sb.length() < 4000) {
            if (depth > 0) {
                sb.append("\ncaused by: ");
            }
            sb.append(t.getClass().getName());
            if (t.getMessage() != null) {
                sb.append(": ").append(t.getMessage());
            }
            StackTraceElement[] frames = t.getStackTrace();
            for (int i = 0; i < Math.min(12, frames.length); i++) {
                sb.append("\n\tat ").append(frames[i]);
            }
            if (frames.length > 12) {
                sb.append("\n\t... ").append(frames.length - 12).append(" more");
            }
            t = t.getCause() == t ? null : t.getCause();
            depth++;
        }
        return sb.length() > 4000 ? sb.substring(0, 4000) : sb.toString();
    }

    /** The one-line error recorded as {@code lastError}: the message, or the class name when there is none. */
    static String errorMessage(Throwable e) {
        String m = e.getMessage();
        String s = m == null || m.isBlank() ? e.getClass().getName() : e.getClass().getSimpleName() + ": " + m;
        return s.length() > 1000 ? s.substring(0, 1000) : s;
    }
}
