package io.mcpcrew.crew.testing;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A private {@code redis-server} process on 127.0.0.1 and a port of its own, with its data in a temporary
 * directory. It never talks to a Redis it did not start: {@link #start()} fails if the port already answers.
 *
 * <p>Stop and restart keep the port, so clients configured with it reconnect on their own.
 * {@link #tlsOnly}: TLS only, a client certificate and a login required; the harness's own calls connect that way.
 */
public final class RedisServer implements AutoCloseable {

    /** System property naming the redis-server executable (default: {@code redis-server} on the PATH). */
    public static final String EXECUTABLE_PROPERTY = "crew.test.redis-server";

    private final int port;
    private final List<String> extraArgs;
    private final Path dir;
    private final TestCertificates tls;
    private final Access access;
    private Process process;

    private RedisServer(int port, List<String> extraArgs) {
        this(port, extraArgs, null, Access.PLAIN);
    }

    private RedisServer(int port, List<String> extraArgs, TestCertificates tls, Access access) {
        this.port = port;
        this.extraArgs = List.copyOf(extraArgs);
        this.tls = tls;
        this.access = access;
        try {
            this.dir = Files.createTempDirectory("crew-redis-" + port + "-");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a temp dir for redis-server", e);
        }
    }

    /** A server on a free port, not started yet. */
    public static RedisServer onFreePort(String... extraArgs) {
        return new RedisServer(freePort(), List.of(extraArgs));
    }

    /** A server on the given port, not started yet. */
    public static RedisServer onPort(int port, String... extraArgs) {
        return new RedisServer(port, List.of(extraArgs));
    }

    /**
     * A server on a free port, not started yet, TLS only ({@code port 0}, {@code tls-port}, {@code certs}' server
     * certificate, client certificates required, replication over TLS with {@code certs}' client certificate). The
     * harness connects with that certificate and logs in as {@code user}, defined by {@code extraArgs} ({@code --user}).
     */
    public static RedisServer tlsOnly(TestCertificates certs, String user, String password, String... extraArgs) {
        return new RedisServer(freePort(), List.of(extraArgs), certs,
                new Access(certs.clientContext().getSocketFactory(), user, password));
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    public Path directory() {
        return dir;
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Starts the process and waits until it answers PING. */
    public synchronized RedisServer start() {
        if (isRunning()) {
            return this;
        }
        if (tls == null ? answersPing(port) : portInUse(port)) {
            throw new IllegalStateException("port " + port + " already answers as a Redis this harness did not start; "
                    + "refusing to use it");
        }
        List<String> cmd = new ArrayList<>(List.of(executable()));
        if (tls == null) {
            cmd.addAll(List.of("--port", String.valueOf(port)));
        } else {
            cmd.addAll(List.of("--port", "0"));
            cmd.addAll(tls.redisServerArgs(port, true));
            cmd.addAll(List.of("--tls-replication", "yes", "--tls-client-cert-file", tls.clientCertificate().toString(),
                    "--tls-client-key-file", tls.clientKey().toString()));
        }
        cmd.addAll(List.of("--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--dir", dir.toString(), "--daemonize", "no", "--protected-mode", "no",
                "--logfile", dir.resolve("redis.log").toString()));
        cmd.addAll(extraArgs);
        try {
            process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("stdout.log").toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException(notInstalledMessage(), e);
        }
        Processes.register(process);
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited with " + process.exitValue() + ": " + log());
            }
            if (answersPing()) {
                return this;
            }
            sleep(20);
        }
        throw new IllegalStateException("redis-server on port " + port + " did not answer PING in 15 s: " + log());
    }

    /** Kills the process (like a crash or a network cut: no save) and waits for it to be gone. */
    public synchronized RedisServer stop() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (portInUse(port) && System.nanoTime() < deadline) {
            sleep(20);
        }
        return this;
    }

    /**
     * Freezes the process (SIGSTOP): connections stay open and commands are read into the socket buffer but nothing
     * answers until {@link #thaw()} (SIGCONT), when Redis applies them — a stalled server, not a dead one.
     */
    public synchronized RedisServer freeze() {
        signal("STOP");
        return this;
    }

    /** Resumes a {@link #freeze() frozen} process (SIGCONT). */
    public synchronized RedisServer thaw() {
        signal("CONT");
        return this;
    }

    private void signal(String name) {
        if (!isRunning()) {
            throw new IllegalStateException("redis-server on port " + port + " is not running");
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot signal redis-server: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling redis-server", e);
        }
    }

    /** Stops and starts again on the same port, with an empty data set. */
    public RedisServer restart() {
        stop();
        return start();
    }

    /** Sends one inline command and returns the raw RESP reply (for harness use: FLUSHALL, SCRIPT FLUSH, ...). */
    public String command(String... args) {
        return (String) Resp.send(host(), port, access, false, args);
    }

    public void flushAll() {
        command("FLUSHALL");
    }

    /** The usual per-test set-up: start it if a test left it stopped, then empty it. */
    public RedisServer ensureRunningAndEmpty() {
        if (!isRunning()) {
            start();
        }
        flushAll();
        return this;
    }

    /** Every key matching a glob pattern (SCAN, never KEYS). */
    public List<String> scanKeys(String pattern) {
        List<String> keys = new ArrayList<>();
        String cursor = "0";
        do {
            String[] reply = command("SCAN", cursor, "MATCH", pattern, "COUNT", "1000").split("\n", -1);
            cursor = reply[0];
            for (int i = 1; i < reply.length; i++) {
                if (!reply[i].isEmpty()) {
                    keys.add(reply[i]);
                }
            }
        } while (!"0".equals(cursor));
        return keys;
    }

    /** TTL of a key in seconds: -1 none, -2 missing. */
    public long ttl(String key) {
        return Long.parseLong(command("TTL", key).substring(1).trim());
    }

    @Override
    public synchronized void close() {
        stop();
        deleteRecursively(dir);
    }

    String log() {
        try {
            Path log = dir.resolve("redis.log");
            Path out = dir.resolve("stdout.log");
            String text = (Files.exists(log) ? Files.readString(log) : "") + (Files.exists(out) ? Files.readString(out) : "");
            return text.length() > 2000 ? text.substring(text.length() - 2000) : text;
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    static String executable() {
        String exe = System.getProperty(EXECUTABLE_PROPERTY, "redis-server");
        if (exe.contains(File.separator)) {
            if (!new File(exe).canExecute()) {
                throw new IllegalStateException(notInstalledMessage());
            }
            return exe;
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String d : path.split(File.pathSeparator)) {
            if (new File(d, exe).canExecute()) {
                return new File(d, exe).getPath();
            }
        }
        throw new IllegalStateException(notInstalledMessage());
    }

    static String notInstalledMessage() {
        return "redis-server was not found on the PATH (or at -D" + EXECUTABLE_PROPERTY + "). The tests need a real "
                + "Redis 7: install it with 'sudo apt-get install -y redis-server' (Debian/Ubuntu), "
                + "'brew install redis' (macOS) or 'sudo dnf install redis' (Fedora), then run the tests again.";
    }

    /** A free loopback port (for a second port of a server, e.g. its TLS port). */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }

    static boolean portInUse(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static boolean answersPing(int port) {
        try {
            return Resp.call("127.0.0.1", port, "PING").startsWith("+PONG");
        } catch (RuntimeException e) {
            return false;
        }
    }

    private boolean answersPing() {
        try {
            return command("PING").startsWith("+PONG");
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** How the harness connects: plain text, or TLS with a client certificate and an ACL login ({@link #tlsOnly}). */
    record Access(SSLSocketFactory tls, String user, String password) {
        static final Access PLAIN = new Access(null, null, null);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: it is a temp dir
        }
    }

    /** A minimal RESP client so the harness needs no Redis library. */
    static final class Resp {
        private Resp() {
        }

        static String call(String host, int port, String... args) {
            return (String) send(host, port, Access.PLAIN, false, args);
        }

        /** The reply as a tree: a bulk or simple string as a String, an array as a List of replies. */
        static Object tree(String host, int port, String... args) {
            return send(host, port, Access.PLAIN, true, args);
        }

        static Object send(String host, int port, Access access, boolean tree, String... args) {
            try (Socket plain = new Socket()) {
                plain.connect(new InetSocketAddress(host, port), 500);
                plain.setSoTimeout(10_000);
                Socket s = access.tls() == null ? plain : handshake(access.tls(), plain, host, port);
                OutputStream out = s.getOutputStream();
                InputStream in = s.getInputStream();
                if (access.user() != null) {
                    out.write(request("AUTH", access.user(), access.password()));
                    out.flush();
                    String auth = readReply(in);
                    if (!auth.startsWith("+OK")) {
                        throw new IllegalStateException("127.0.0.1:" + port + " refused the login of "
                                + access.user() + ": " + auth);
                    }
                }
                out.write(request(args));
                out.flush();
                return tree ? readTree(in) : readReply(in);
            } catch (IOException e) {
                throw new IllegalStateException("cannot talk to 127.0.0.1:" + port + ": " + e.getMessage(), e);
            }
        }

        /** TLS over {@code plain}, the server's certificate checked against the host (its IP subject name). */
        private static SSLSocket handshake(SSLSocketFactory tls, Socket plain, String host, int port)
                throws IOException {
            SSLSocket s = (SSLSocket) tls.createSocket(plain, host, port, true);
            SSLParameters p = s.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            s.setSSLParameters(p);
            s.startHandshake();
            return s;
        }

        private static byte[] request(String... args) {
            StringBuilder req = new StringBuilder("*").append(args.length).append("\r\n");
            for (String a : args) {
                byte[] b = a.getBytes(StandardCharsets.UTF_8);
                req.append('$').append(b.length).append("\r\n").append(a).append("\r\n");
            }
            return req.toString().getBytes(StandardCharsets.UTF_8);
        }

        private static String readLine(InputStream in) throws IOException {
            StringBuilder sb = new StringBuilder();
            int c;
            while ((c = in.read()) != -1) {
                if (c == '\r') {
                    in.read();
                    break;
                }
                sb.append((char) c);
            }
            return sb.toString();
        }

        private static Object readTree(InputStream in) throws IOException {
            String line = readLine(in);
            if (line.startsWith("*")) {
                int n = Integer.parseInt(line.substring(1));
                List<Object> out = new ArrayList<>(Math.max(0, n));
                for (int i = 0; i < n; i++) {
                    out.add(readTree(in));
                }
                return out;
            }
            if (line.startsWith("$")) {
                int n = Integer.parseInt(line.substring(1));
                if (n < 0) {
                    return null;
                }
                byte[] b = in.readNBytes(n + 2);
                return new String(b, 0, n, StandardCharsets.UTF_8);
            }
            return line;
        }

        private static String readReply(InputStream in) throws IOException {
            String line = readLine(in);
            if (line.isEmpty()) {
                return line;
            }
            switch (line.charAt(0)) {
                case '$': {
                    int n = Integer.parseInt(line.substring(1));
                    if (n < 0) {
                        return "$-1";
                    }
                    byte[] b = in.readNBytes(n + 2);
                    return new String(b, 0, n, StandardCharsets.UTF_8);
                }
                case '*': {
                    int n = Integer.parseInt(line.substring(1));
                    StringBuilder sb = new StringBuilder();
                    for (int i = 0; i < n; i++) {
                        sb.append(readReply(in)).append('\n');
                    }
                    return sb.toString();
                }
                default:
                    return line;
            }
        }
    }
}
