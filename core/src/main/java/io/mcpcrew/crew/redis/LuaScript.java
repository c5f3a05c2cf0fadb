package io.mcpcrew.crew.redis;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * A Lua script read once from a {@code .lua} resource next to the class that runs it, with its SHA-1 computed
 * locally. {@link RedisManager#eval} runs it with EVALSHA and loads it transparently on NOSCRIPT (after SCRIPT
 * FLUSH, a restart or a fail-over). Every key a script touches must share one hash tag (see
 * {@link io.mcpcrew.crew.tenancy.TenantKeys#tagged}) so that it runs on Redis Cluster.
 *
 * <p>One way in: {@link #fromResource(Class, String)}. A script opens with a header of {@code --} comment lines
 * saying what it does, its {@code KEYS}, its {@code ARGV} and what it returns. A header line
 * {@code -- include: <resource>} names a library of shared functions, a resource beside the script; the source
 * the script runs as is the text of each library named, in header order, followed by the script's own text (its
 * include lines stay, as comments). A library includes nothing itself. For example {@code touch.lua}:
 *
 * <pre>
 * -- Renews a session's expiry.
 * -- KEYS[1] session hash, KEYS[2] the user's index
 * -- ARGV[1] id, ARGV[2] new ttl ms
 * -- Returns the new expiry; -1 if not found.
 * -- include: lib.lua
 * ...code calling the functions of lib.lua...
 * </pre>
 */
public final class LuaScript {
    /** The header line naming a library: {@code -- include: lib.lua}. */
    static final String INCLUDE = "-- include:";

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

    /**
     * Reads {@code resource} relative to {@code owner}'s package, e.g. {@code fromResource(Foo.class, "claim.lua")},
     * with the libraries its header includes prepended. Throws {@link IllegalStateException} naming the resource
     * when it, or a library it includes, is missing, or when a library includes another.
     */
    public static LuaScript fromResource(Class<?> owner, String resource) {
        String script = read(owner, resource);
        List<String> libraries = includes(script);
        if (libraries.isEmpty()) {
            return new LuaScript(owner.getSimpleName() + "/" + resource, script);
        }
        StringBuilder source = new StringBuilder();
        for (String library : libraries) {
            String text = read(owner, library);
            if (!includes(text).isEmpty()) {
                throw new IllegalStateException("Lua library " + library + " (included by " + resource + " next to "
                        + owner.getName() + ") includes another; a library must be self-contained");
            }
            source.append(text);
        }
        return new LuaScript(owner.getSimpleName() + "/" + resource, source.append(script).toString());
    }

    /** The resources named by {@code -- include:} lines of the header (the comment and blank lines before the code). */
    private static List<String> includes(String script) {
        List<String> out = new ArrayList<>(1);
        for (String line : script.split("\n", -1)) {
            String l = line.strip();
            if (l.isEmpty()) {
                continue;
            }
            if (!l.startsWith("--")) {
                break;
            }
            if (l.startsWith(INCLUDE)) {
                out.add(l.substring(INCLUDE.length()).strip());
            }
        }
        return out;
    }

    private static String read(Class<?> owner, String resource) {
        try (InputStream in = owner.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Lua script resource " + resource + " not found next to " + owner.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read Lua script " + resource, e);
        }
    }

    /** {@code <owner's simple name>/<resource>}, e.g. {@code RedisTaskQueues/claim.lua}: for logs and errors. */
    public String name() {
        return name;
    }

    /** The source sent to Redis: the included libraries, then the script. */
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
