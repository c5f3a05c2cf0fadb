package io.mcpcrew.crew.topology;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** The Redis executables on the PATH (or beside {@code -Dcrew.test.redis-server}) and small waiting helpers. */
final class RedisTools {
    private RedisTools() {
    }

    static String redisServer() {
        String exe = System.getProperty("crew.test.redis-server", "redis-server");
        return exe.contains(File.separator) ? exe : onPath(exe);
    }

    static String redisCli() {
        File sibling = new File(new File(redisServer()).getParentFile(), "redis-cli");
        return sibling.canExecute() ? sibling.getPath() : onPath("redis-cli");
    }

    private static String onPath(String exe) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(d, exe).canExecute()) {
                return new File(d, exe).getPath();
            }
        }
        throw new IllegalStateException(exe + " is not on the PATH: install Redis 7 (sudo apt-get install -y "
                + "redis-server redis-tools) and run the suite again");
    }

    /** Runs a command to its end (at most 60 s) and returns its output; fails on a non-zero exit. */
    static String run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Waits until {@code done} holds (checked every 50 ms, exceptions count as not yet); fails after the bound. */
    static void await(String what, long millis, BooleanSupplier done) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        RuntimeException last = null;
        while (System.nanoTime() < end) {
            try {
                if (done.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                last = e;
            }
            sleep(50);
        }
        throw new IllegalStateException("timed out after " + millis + " ms waiting for " + what
                + (last == null ? "" : " (last error: " + last.getMessage() + ")"), last);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
