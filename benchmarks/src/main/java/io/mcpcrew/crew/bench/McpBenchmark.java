package io.mcpcrew.crew.bench;

import io.mcpcrew.crew.testing.RedisServer;
import io.mcpcrew.crew.testing.TestTokens;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An MCP tool call round trip beside the same call over the HTTP API, in one run against one Payara Micro running
 * the real WAR ({@code web-module/target/crew.war}) on a private redis-server: {@code check_rate_limit} beside
 * {@code POST .../ratelimits/{r}/check} (a write: both are charged to the api-writes budget, set high enough not to
 * refuse), and {@code get_session} beside {@code GET .../sessions/{id}}. Each of the {@code threads} clients (8 by
 * default) has its own tenant, its own MCP session (the MCP Java SDK's client, Streamable HTTP) and shares one
 * {@link HttpClient} for the REST calls, which keeps its connections open. Figures are calls/s, the median of
 * {@code reps} runs; MCP and REST runs alternate (every other rep in reverse order) and each MCP row gives its ratio
 * to REST paired by rep.
 *
 * <p>{@code benchmarks/run.sh mcp [seconds-per-run=5] [reps=3] [threads=8]}. The WAR and the Payara Micro jar come
 * from {@code web-module/target} (run.sh builds them); {@code -Dcrew.bench.war} and {@code -Dcrew.bench.micro} name
 * others. Payara Micro's log goes to a temporary directory named at the start, removed after a run that completed.
 */
public final class McpBenchmark {
    private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");
    private static final String CHECK = "{\"maxRequests\":100000,\"windowSeconds\":1}";

    private McpBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Duration run = Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 5);
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        Duration warmup = Duration.ofSeconds(2);
        File war = new File(System.getProperty("crew.bench.war", "web-module/target/crew.war"));
        File micro = new File(System.getProperty("crew.bench.micro", microJar()));
        if (!war.isFile() || !micro.isFile()) {
            throw new IllegalStateException("no " + war + " or " + micro + ": build them (benchmarks/run.sh mcp does)");
        }
        Path dir = Files.createTempDirectory("crew-mcp-bench");
        System.setProperty(TestTokens.PUBLIC_KEY_PROPERTY, dir.resolve("public.pem").toString());
        TestTokens.keys(); // writes the public key the server is told to trust
        int port = freePort();
        String base = "http://127.0.0.1:" + port + "/crew/";
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1)
                .build();
        try (RedisServer redis = Bench.startRedis()) {
            Process server = startMicro(micro, war, port, redis, dir);
            List<McpSyncClient> clients = new ArrayList<>();
            boolean done = false;
            try {
                awaitReady(http, "http://127.0.0.1:" + port + "/health/ready", server, dir);
                String[] tokens = new String[threads];
                String[] sessions = new String[threads];
                for (int t = 0; t < threads; t++) {
                    tokens[t] = TestTokens.forTenant("bench" + t);
                    HttpResponse<String> created = send(http, "POST", base + "api/v1/tenants/bench" + t + "/sessions",
                            "{\"userId\":\"u" + t + "\",\"data\":{\"cart\":3,\"theme\":\"dark\",\"locale\":\"en-GB\"},"
                                    + "\"ttlSeconds\":3600}", tokens[t]);
                    Matcher m = ID.matcher(created.body());
                    if (created.statusCode() != 201 || !m.find()) {
                        throw new IllegalStateException("cannot create a session: " + created.statusCode() + " " + created.body());
                    }
                    sessions[t] = m.group(1);
                    clients.add(client(base, tokens[t]));
                }
                System.out.printf("# Payara Micro %s, %d client thread(s), each its own tenant and MCP session; %d s per run"
                        + " after %d s warm-up, median of %d runs; Payara Micro's log in %s%n", micro.getName(), threads, run.getSeconds(),
                        warmup.getSeconds(), reps, dir);
                List<Bench.Op> ops = List.of(
                        (t, i) -> expect(send(http, "POST", base + "api/v1/tenants/bench" + t + "/ratelimits/bench/check",
                                CHECK, tokens[t]), 200),
                        (t, i) -> tool(clients.get(t), "check_rate_limit", Map.of("resource", "bench",
                                "maxRequests", 100_000, "windowSeconds", 1)),
                        (t, i) -> expect(send(http, "GET", base + "api/v1/tenants/bench" + t + "/sessions/" + sessions[t],
                                null, tokens[t]), 200),
                        (t, i) -> tool(clients.get(t), "get_session", Map.of("id", sessions[t])));
                double[][] results = new double[ops.size()][reps];
                for (int r = 0; r < reps; r++) {
                    for (int k = 0; k < ops.size(); k++) {
                        int c = Bench.caseAt(r, k, ops.size());
                        results[c][r] = Bench.throughput(threads, warmup, run, ops.get(c));
                    }
                }
                row("REST POST .../ratelimits/{r}/check", results[0], results[0]);
                row("MCP  tools/call check_rate_limit", results[1], results[0]);
                row("REST GET .../sessions/{id}", results[2], results[2]);
                row("MCP  tools/call get_session", results[3], results[2]);
                done = true;
            } finally {
                for (McpSyncClient c : clients) {
                    c.closeGracefully();
                }
                server.destroy();
                server.waitFor();
                if (done) {
                    deleteTree(dir); // kept when the run failed: Payara Micro's log is there
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void row(String label, double[] runs, double[] rest) {
        System.out.printf("%-40s %10.0f calls/s   %5.2fx REST   paired %s%n", label, Bench.median(runs),
                Bench.median(runs) / Bench.median(rest), Bench.paired(runs, rest));
    }

    private static McpSyncClient client(String base, String token) {
        URI u = URI.create(base);
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport
                .builder(u.getScheme() + "://" + u.getHost() + ":" + u.getPort()).endpoint(u.getPath() + "mcp")
                .httpRequestCustomizer((b, method, uri, body, ctx) -> b.header("Authorization", "Bearer " + token))
                .build();
        McpSyncClient c = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(30)).build();
        c.initialize();
        return c;
    }

    private static void tool(McpSyncClient client, String name, Map<String, Object> args) {
        McpSchema.CallToolResult r = client.callTool(new McpSchema.CallToolRequest(name, args));
        if (Boolean.TRUE.equals(r.isError())) {
            throw new IllegalStateException(name + " failed: " + r.content());
        }
    }

    private static Process startMicro(File micro, File war, int port, RedisServer redis, Path dir) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(javaBin(), "-Xmx512m", "-jar", micro.getAbsolutePath(), "--deploy",
                war.getAbsolutePath(), "--port", String.valueOf(port), "--nocluster", "--nohostaware",
                "--disablephonehome", "--logtofile", dir.resolve("payara-micro.log").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("payara-micro.out").toFile());
        Map<String, String> env = pb.environment();
        env.put("REDIS_CREW_HOST", redis.host());
        env.put("REDIS_CREW_PORT", String.valueOf(redis.port()));
        env.put("REDIS_CREW_KEY_PREFIX", "bench");
        env.put("REDIS_CREW_FALLBACK_JOURNAL_DIR", dir.resolve("journal").toString());
        // the write budget would refuse a benchmark's rate of checks: set beyond it, for both sides alike
        env.put("REDIS_CREW_RATELIMIT_API_WRITES_MAX_REQUESTS", "100000"); // per 10 s per tenant (the most it takes)
        env.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", dir.resolve("public.pem").toUri().toString());
        env.put("MP_JWT_VERIFY_ISSUER", TestTokens.ISSUER);
        env.put("HZ_PHONE_HOME_ENABLED", "false");
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("redis.crew."))
                .forEach(k -> env.put(k.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(java.util.Locale.ROOT), System.getProperty(k)));
        return pb.start();
    }

    private static void awaitReady(HttpClient http, String url, Process server, Path dir) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new IllegalStateException("Payara Micro exited (" + server.exitValue() + "): see " + dir);
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("Payara Micro not ready within 180 s: see " + dir);
    }

    private static HttpResponse<String> send(HttpClient http, String method, String url, String body, String token)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void expect(HttpResponse<String> r, int status) {
        if (r.statusCode() != status) {
            throw new IllegalStateException(r.request().uri() + " answered " + r.statusCode() + " " + r.body());
        }
    }

    private static String microJar() {
        File[] jars = new File("web-module/target").listFiles((d, n) -> n.matches("payara-micro-.*\\.jar"));
        return jars == null || jars.length == 0 ? "web-module/target/payara-micro.jar" : jars[0].getPath();
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
