package io.mcpcrew.crew.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension: one private {@link RedisServer} per test class, started before all tests and torn down
 * after them (and by a shutdown hook if the JVM dies). Tests receive it as a parameter
 * ({@code @BeforeAll static void setUp(RedisServer redis)}, or in any test method) and may stop and restart it.
 * If a test left it stopped, the next test class still gets its own fresh one.
 *
 * <p>The port is free and random, unless the system property {@value #PORT_PROPERTY} fixes it (container
 * tests do, so the server under test can be told the port before it starts); on a fixed port the server starts once
 * the Payara Micro of an earlier test class has ended (see {@link #awaitEarlierPayaraMicros}).
 *
 * <p>A {@link RedisCluster} parameter gives a three-master Cluster instead, and a {@link RedisSentinel} parameter a
 * master watched by a Sentinel; each is started on first use and, like the server, shared by the class.
 */
public final class RedisServerExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    public static final String PORT_PROPERTY = "crew.test.redis.port";
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(RedisServerExtension.class);
    /** How long a fixed-port server waits for an earlier test class's Payara Micro to end. */
    static final java.time.Duration STRAGGLER_WAIT = java.time.Duration.ofSeconds(60);

    @Override
    public void beforeAll(ExtensionContext context) {
        server(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        RedisServer s = context.getStore(NS).remove(RedisServer.class, RedisServer.class);
        if (s != null) {
            s.close();
        }
        RedisCluster c = context.getStore(NS).remove(RedisCluster.class, RedisCluster.class);
        if (c != null) {
            c.close();
        }
        RedisSentinel sentinel = context.getStore(NS).remove(RedisSentinel.class, RedisSentinel.class);
        if (sentinel != null) {
            sentinel.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        Class<?> t = p.getParameter().getType();
        return t == RedisServer.class || t == RedisCluster.class || t == RedisSentinel.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        ExtensionContext classContext = classContext(e);
        if (p.getParameter().getType() == RedisCluster.class) {
            return classContext.getStore(NS).getOrComputeIfAbsent(RedisCluster.class, k -> RedisCluster.start(3),
                    RedisCluster.class);
        }
        if (p.getParameter().getType() == RedisSentinel.class) {
            return classContext.getStore(NS).getOrComputeIfAbsent(RedisSentinel.class, k -> RedisSentinel.start(),
                    RedisSentinel.class);
        }
        return server(classContext);
    }

    private static ExtensionContext classContext(ExtensionContext e) {
        ExtensionContext c = e;
        while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
            c = c.getParent().get();
        }
        return c;
    }

    private static RedisServer server(ExtensionContext context) {
        return context.getStore(NS).getOrComputeIfAbsent(RedisServer.class, k -> {
            String fixed = System.getProperty(PORT_PROPERTY);
            if (fixed == null || fixed.isBlank()) {
                return RedisServer.onFreePort().start();
            }
            awaitEarlierPayaraMicros();
            return RedisServer.onPort(Integer.parseInt(fixed.trim())).start();
        }, RedisServer.class);
    }

    /**
     * Waits (at most {@link #STRAGGLER_WAIT}) until no Payara Micro this JVM started is still running. Arquillian's
     * Payara Micro connector ends the previous test class's server by sending it a signal, without waiting for it:
     * while it shuts down it still reaches Redis at the fixed port, and would write into this class's fresh server
     * there (its task workers' marks of the queues it knew, for instance).
     */
    static void awaitEarlierPayaraMicros() {
        long deadline = System.nanoTime() + STRAGGLER_WAIT.toNanos();
        for (ProcessHandle p : (Iterable<ProcessHandle>) ProcessHandle.current().children()::iterator) {
            boolean micro = p.info().commandLine().map(c -> c.contains("payara-micro")).orElse(false);
            long left = deadline - System.nanoTime();
            if (!micro || left <= 0) {
                continue;
            }
            try {
                p.onExit().get(left, java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                System.err.println("RedisServerExtension: Payara Micro (pid " + p.pid() + ") of an earlier test class still"
                        + " runs after " + STRAGGLER_WAIT.toSeconds() + " s");
            } catch (java.util.concurrent.ExecutionException e) {
                // gone
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
