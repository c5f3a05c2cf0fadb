package io.mcpcrew.crew.testing;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Prometheus server (the {@code prometheus} executable: Debian's package {@code prometheus}, or the system
 * property {@value #EXECUTABLE_PROPERTY}) on a free loopback port, with a generated configuration that scrapes one
 * target every second with a bearer token read from a file, its data in a directory of its own. {@link #query} asks
 * its HTTP API ({@code /api/v1/query}). Stopped by {@link #close()} (and killed when the JVM exits).
 */
public final class PrometheusServer implements AutoCloseable {
    public static final String EXECUTABLE_PROPERTY = "crew.test.prometheus";
    private static final Pattern VALUE = Pattern.compile("\"value\":\\[[^,]+,\"([^\"]+)\"\\]");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final int port;
    private final Path dir;

    private PrometheusServer(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    /**
     * Starts Prometheus scraping {@code target} ({@code host:port}) at {@code metricsPath} every second, sending
     * {@code token} as a bearer token, and waits until it is ready.
     *
     * @param dir an empty directory for its configuration, token file, data and log
     */
    public static PrometheusServer start(String target, String metricsPath, String token, Path dir) {
        String exe = System.getProperty(EXECUTABLE_PROPERTY, "prometheus");
        try {
            Files.createDirectories(dir);
            Path tokenFile = dir.resolve("scrape.token");
            Files.writeString(tokenFile, token);
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
                    + "scrape_configs:\n"
                    + "  - job_name: crew\n"
                    + "    metrics_path: " + metricsPath + "\n"
                    + "    authorization:\n"
                    + "      type: Bearer\n"
                    + "      credentials_file: " + tokenFile.toAbsolutePath() + "\n"
                    + "    static_configs:\n"
                    + "      - targets: ['" + target + "']\n");
            int port = RedisServer.freePort();
            ProcessBuilder pb = new ProcessBuilder(exe, "--config.file=" + config.toAbsolutePath(),
                    "--storage.tsdb.path=" + dir.resolve("data").toAbsolutePath(),
                    "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile());
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                throw new IllegalStateException("cannot run '" + exe + "' (" + e.getMessage() + "): install Prometheus "
                        + "(sudo apt-get install -y prometheus, or brew install prometheus) or name its executable "
                        + "with -D" + EXECUTABLE_PROPERTY + "=/path/to/prometheus", e);
            }
            Processes.register(p);
            PrometheusServer s = new PrometheusServer(p, port, dir);
            s.awaitReady();
            return s;
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare Prometheus in " + dir, e);
        }
    }

    private void awaitReady() {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new IllegalStateException("prometheus exited with " + process.exitValue() + ": " + log());
            }
            try {
                HttpResponse<String> r = get("/-/ready");
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IllegalStateException notYet) {
                // not listening yet
            }
            sleep(100);
        }
        throw new IllegalStateException("prometheus not ready within 60 s: " + log());
    }

    public int port() {
        return port;
    }

    /** The value of the first series an instant query returns, if any. */
    public Optional<Double> query(String promql) {
        HttpResponse<String> r = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        if (r.statusCode() != 200) {
            throw new IllegalStateException("query " + promql + " answered " + r.statusCode() + ": " + r.body());
        }
        Matcher m = VALUE.matcher(r.body());
        return m.find() ? Optional.of(Double.parseDouble(m.group(1))) : Optional.empty();
    }

    /** The health of the scrape target as Prometheus saw it last ({@code /api/v1/targets}): up, or its error. */
    public String targets() {
        return get("/api/v1/targets").body();
    }

    /** What Prometheus logged. */
    public String log() {
        try {
            return Files.readString(dir.resolve("prometheus.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private HttpResponse<String> get(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
