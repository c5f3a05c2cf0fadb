package io.mcpcrew.crew.redis;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A Lua script read once from a {@code .lua} resource next to the class that runs it, with its SHA-1 computed
 * locally. {@link RedisManager#eval} runs it with EVALSHA and loads it transparently on NOSCRIPT (after SCRIPT
 * FLUSH, a restart or a fail-over). Every key a script touches must share one hash tag (see
 * {@link TenantKeys#tagged}) so that it runs on Redis Cluster.
 */
public final class LuaScript {
    private final String name;
    private final String source;
    private final String sha1;
    private final byte[] sha1Bytes;

    private LuaScript(String name, String source) {
        this.name = name;
        this.source = source;
        this.sha1 = sha1Hex(source);
        this.sha1Bytes = sha1.getBytes(StandardCharsets.US_ASCII);
    }

    /** Reads {@code resource} relative to {@code owner}'s package, e.g. {@code fromResource(Foo.class, "claim.lua")}. */
    public static LuaScript fromResource(Class<?> owner, String resource) {
        try (InputStream in = owner.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Lua script resource " + resource + " not found next to " + owner.getName());
            }
            return new LuaScript(owner.getSimpleName() + "/" + resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read Lua script " + resource, e);
        }
    }

    public static LuaScript of(String name, String source) {
        return new LuaScript(name, source);
    }

    public String name() {
        return name;
    }

    public String source() {
        return source;
    }

    public String sha1() {
        return sha1;
    }

    /** The SHA-1 as ASCII bytes, for binary EVALSHA (do not modify). */
    byte[] sha1Bytes() {
        return sha1Bytes;
    }

    private static String sha1Hex(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder(40);
            for (byte b : d) {
                sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return name + "@" + sha1.substring(0, 8);
    }
}
