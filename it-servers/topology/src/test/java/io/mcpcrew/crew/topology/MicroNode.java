package io.mcpcrew.crew.topology;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One application node: {@code java -jar payara-micro.jar --deploy crew.war} as a process of its own, on a port of its
 * own that it keeps across restarts, with its Payara root, its fallback journal and its logs ({@code node-<i>-<n>.log},
 * one per start) in its folder. {@link #inRotation()} is what a load balancer in front would know: the node is
 * admitted once it answered ready after its start (and taken out before a graceful stop, or when it is killed), and
 * while admitted it is in rotation as long as its last readiness answer ({@link ReadinessWatch}) was 200.
 */
final class MicroNode {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final int index;
    private final int port;
    private final Path dir;
    private final Map<String, String> env;
    private final List<String> jvmOptions;
    private volatile Process process;
    private volatile boolean admitted;
    private volatile boolean ready;
    private int starts;

    MicroNode(int index, int port, Path dir, Map<String, String> env, List<String> jvmOptions) {
        this.index = index;
        this.port = port;
        this.dir = dir;
        this.env = Map.copyOf(env);
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    int index() {
        return index;
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    boolean inRotation() {
        return admitted && ready;
    }

    /** Whether the node is meant to serve (started and not being stopped): the readiness watch polls only then. */
    boolean admitted() {
        return admitted;
    }

    /** The last readiness answer the watch got: 200 or not. */
    void setReady(boolean ready) {
        this.ready = ready;
    }

    boolean isAlive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** Starts the process (not waiting for it). */
    synchronized void launch() {
        if (isAlive()) {
            throw new IllegalStateException("node " + index + " already runs");
        }
        try {
            Files.createDirectories(dir);
            // a fresh Payara root per start: on a root it used before, Micro deploys the old copy of the WAR, then
            // undeploys it and deploys again (the application answers, then 404 for seconds)
            deleteRecursively(root());
            starts++;
            deleteRecursively(root());
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> cmd = new ArrayList<>(List.of(java));
            cmd.addAll(jvmOptions);
            cmd.addAll(List.of("-jar", property("topology.micro.jar"), "--deploy", property("topology.war"),
                    "--port", String.valueOf(port), "--nocluster", "--nohostaware", "--disablephonehome",
                    "--rootdir", root().toString()));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log().toFile());
            pb.environment().putAll(env);
            pb.environment().put("REDIS_CREW_FALLBACK_JOURNAL_DIR", dir.resolve("journal").toString());
            pb.environment().put("REDIS_CREW_EVENTS_NODE_ID", "node" + index);
            process = pb.start();
            Reaper.register(process);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start Payara Micro for node " + index + ": " + e.getMessage(), e);
        }
    }

    /** Waits until the application answers and is ready (at most {@code millis}); then puts it in rotation. */
    void awaitReady(long millis) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (true) {
            if (!isAlive()) {
                throw new IllegalStateException("node " + index + " exited: " + tail());
            }
            if (System.nanoTime() > end) {
                throw new IllegalStateException("node " + index + " not ready in " + millis + " ms: " + tail());
            }
            if (get("/crew/api/v1/status") == 200 && get("/health/ready") == 200) {
                ready = true;
                admitted = true;
                return;
            }
            RedisTools.sleep(200);
        }
    }

    private int get(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code kill -9}: nothing runs at exit. The balancer takes it out (requests to it meanwhile are refused). */
    void kill9() {
        admitted = false;
        Process p = process;
        if (p != null) {
            p.destroyForcibly();
            waitFor(p, 30);
        }
    }

    /** Out of rotation (the balancer drains it): no new calls go to it. */
    void takeOut() {
        admitted = false;
    }

    /** A graceful stop (SIGTERM: Payara undeploys, the workers finish or release their tasks), after draining. */
    void stop() {
        admitted = false;
        Process p = process;
        if (p != null) {
            p.destroy();
            if (!waitFor(p, 90)) {
                p.destroyForcibly();
                waitFor(p, 30);
                throw new IllegalStateException("node " + index + " did not stop within 90 s of SIGTERM: " + tail());
            }
        }
    }

    private static boolean waitFor(Process p, int seconds) {
        try {
            return p.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Path root() {
        return dir.resolve("micro-root-" + starts);
    }

    Path log() {
        return dir.resolve("node-" + index + "-" + starts + ".log");
    }

    String tail() {
        try {
            String s = Files.readString(log());
            return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static void deleteRecursively(Path p) throws IOException {
        if (Files.exists(p)) {
            try (java.util.stream.Stream<Path> walk = Files.walk(p)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static String property(String name) {
        String v = System.getProperty(name);
        if (v == null || !Files.isRegularFile(Path.of(v))) {
            throw new IllegalStateException("-D" + name + " must name an existing file (failsafe sets it): " + v);
        }
        return v;
    }
}
