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
 * tests do, so the server under test can be told the port before it starts).
 *
 * <p>A {@link RedisCluster} parameter gives a three-master Cluster instead, and a {@link RedisSentinel} parameter a
 * master watched by a Sentinel; each is started on first use and, like the server, shared by the class.
 */
public final class RedisServerExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    public static final String PORT_PROPERTY = "crew.test.redis.port";
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(RedisServerExtension.class);

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
            RedisServer s = fixed == null || fixed.isBlank() ? RedisServer.onFreePort()
                    : RedisServer.onPort(Integer.parseInt(fixed.trim()));
            return s.start();
        }, RedisServer.class);
    }
}
