package io.mcpcrew.crew.bench;

import io.mcpcrew.crew.events.Event;
import io.mcpcrew.crew.events.EventType;
import io.mcpcrew.crew.events.RedisEventManager;
import io.mcpcrew.crew.events.TenantEvents;
import io.mcpcrew.crew.redis.JedisRedisManager;
import io.mcpcrew.crew.tasks.RedisTaskQueues;
import io.mcpcrew.crew.tasks.TaskPriority;
import io.mcpcrew.crew.tasks.TaskQueue;
import io.mcpcrew.crew.testing.RedisServer;
import io.mcpcrew.crew.testing.TestTokens;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * How long the operations console takes to show each page with real data, in a real headless Chromium: the WAR on
 * Payara Micro against a private redis-server holding {@code queues} queues of {@code tasks} pending tasks each
 * (default 100 × 100 = 10,000) and a stream of 1,000 events. For each page, {@code reps} times (default 20): from
 * the change of the page's address to the moment its numbers are on screen (the first refresh of every request the
 * page makes, answered and rendered), measured in the page ({@code performance.now()}). Prints p50, p95 and the
 * maximum per page against the 300 ms target.
 *
 * <pre>benchmarks/run.sh console [queues] [tasksPerQueue] [reps]</pre>
 * Needs the WAR ({@code web-module/target/crew.war}, built by run.sh), Payara Micro's jar next to it, and Debian's
 * {@code chromium} and {@code chromedriver}.
 */
public final class ConsoleBenchmark {
    private static final String TENANT = "bench";
    private static final long TARGET_MS = 300;
    /** Selenium warns that it has no CDP classes for this Chromium: the benchmark sends CDP commands by name only. */
    private static final java.util.logging.Logger CDP_FINDER = java.util.logging.Logger.getLogger(
            "org.openqa.selenium.devtools.CdpVersionFinder");

    private ConsoleBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        CDP_FINDER.setLevel(java.util.logging.Level.SEVERE);
        int queues = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int perQueue = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        Path work = Files.createTempDirectory("crew-console-bench-");
        System.setProperty(TestTokens.PUBLIC_KEY_PROPERTY, work.resolve("public.pem").toString());
        String admin = TestTokens.admin(); // writes the public key the server is told to trust
        Path war = Path.of("web-module/target/crew.war");
        Path micro;
        try (var files = Files.list(Path.of("web-module/target"))) {
            micro = files.filter(p -> p.getFileName().toString().matches("payara-micro-.*\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no Payara Micro jar in web-module/target: build the web module"));
        }
        if (!Files.isRegularFile(war)) {
            throw new IllegalStateException("no " + war + ": build the web module (benchmarks/run.sh console does)");
        }
        try (RedisServer redis = Bench.startRedis()) {
            seed(redis, queues, perQueue);
            int port = RedisServer.freePort();
            Process server = startMicro(micro, war, port, redis, work);
            ChromeDriver browser = null;
            try {
                String base = "http://127.0.0.1:" + port;
                awaitStarted(base, server);
                browser = chromium(work);
                run(browser, base + "/crew/console/", admin, queues, perQueue, reps);
            } finally {
                if (browser != null) {
                    browser.quit();
                }
                server.destroy();
                server.waitFor();
            }
        }
    }

    private static void seed(RedisServer redis, int queues, int perQueue) {
        long t0 = System.nanoTime();
        try (JedisRedisManager manager = Bench.manager(redis, 4)) {
            RedisTaskQueues tasks = new RedisTaskQueues(manager);
            for (int q = 0; q < queues; q++) {
                TaskQueue queue = tasks.forTenant(TENANT).queue(String.format("queue-%03d", q));
                for (int i = 0; i < perQueue; i++) {
                    queue.enqueue("bench-idle", "{\"n\":" + i + "}", TaskPriority.values()[i % 4]);
                }
            }
            try (RedisEventManager events = new RedisEventManager(manager)) {
                TenantEvents t = events.forTenant(TENANT);
                List<Event> batch = new ArrayList<>();
                for (int i = 0; i < 1000; i++) {
                    batch.add(Event.of(EventType.of("bench.event"), Map.of("n", i)));
                }
                t.publishAll(batch, "events");
            }
        }
        System.out.printf("# seeded %d queues x %d pending tasks and a stream of 1000 events in %d ms%n", queues, perQueue,
                (System.nanoTime() - t0) / 1_000_000);
    }

    private static Process startMicro(Path micro, Path war, int port, RedisServer redis, Path work) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-jar", micro.toString(), "--deploy", war.toString(), "--port", Integer.toString(port),
                "--nocluster", "--nohostaware", "--disablephonehome");
        Map<String, String> env = pb.environment();
        env.put("REDIS_CREW_HOST", redis.host());
        env.put("REDIS_CREW_PORT", Integer.toString(redis.port()));
        env.put("REDIS_CREW_FALLBACK_JOURNAL_DIR", work.resolve("journal").toString());
        env.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", work.resolve("public.pem").toUri().toString());
        env.put("MP_JWT_VERIFY_ISSUER", TestTokens.ISSUER);
        env.put("HZ_PHONE_HOME_ENABLED", "false");
        pb.redirectErrorStream(true).redirectOutput(work.resolve("payara-micro.log").toFile());
        System.out.println("# Payara Micro on port " + port + ", log " + work.resolve("payara-micro.log"));
        return pb.start();
    }

    private static void awaitStarted(String base, Process server) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new IllegalStateException("Payara Micro exited with " + server.exitValue());
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(base + "/health/started")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("Payara Micro did not start within 180 s");
    }

    private static ChromeDriver chromium(Path work) throws IOException {
        String browser = onPath("chromium");
        String driver = onPath("chromedriver");
        if (browser == null || driver == null) {
            throw new IllegalStateException("install Debian's chromium and chromium-driver (apt-get install -y chromium chromium-driver)");
        }
        ChromeOptions o = new ChromeOptions();
        o.setBinary(browser);
        o.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,800",
                "--no-first-run", "--disable-extensions", "--user-data-dir=" + Files.createTempDirectory(work, "profile-"));
        ChromeDriver d = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(new File(driver))
                .usingAnyFreePort().build(), o);
        d.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", 1280, "height", 800,
                "deviceScaleFactor", 1, "mobile", false));
        return d;
    }

    private static String onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File f = new File(dir, name);
            if (f.canExecute()) {
                return f.getAbsolutePath();
            }
        }
        return null;
    }

    /**
     * Pages, each with what says its data is on screen: conditions {@code selector::text} joined by {@code " && "},
     * each met by an element matching the selector whose text holds the text; a third element marks a list page,
     * which a server without the listing API shows as "not available on this server".
     */
    private static Map<String, String[]> pages(int queues, int perQueue) {
        String q = "queue-000";
        Map<String, String[]> p = new LinkedHashMap<>();
        p.put("overview", new String[] {"overview", "[data-stat='readiness'] .value::UP && [data-section='tenants'] h2::"});
        p.put("queues (first 50 with counts)", new String[] {"queues", "[data-section='queue-list'] tbody tr:nth-child("
                + Math.min(50, queues) + ")::", "list"});
        p.put("queue (counts, pending page, dead, schedules)", new String[] {"queues/" + q,
                "[data-stat='pending'] .value::" + String.format("%,d", perQueue) + " && #tasks-list > *:: && "
                        + "[data-section='dead'] h2::Dead letters && [data-section='schedules'] h2::Recurring"});
        p.put("streams", new String[] {"streams", "[data-section='stream-list'] tbody tr::1,000", "list"});
        p.put("stream (info, groups, dead letters)", new String[] {"streams/events", "[data-stat='length'] .value::1,000"
                + " && [data-section='groups'] h2::Consumer groups && [data-section='dead-letters'] h2::Dead letters"});
        p.put("sessions", new String[] {"sessions", "[data-section='session-counts'] h2::Counts"});
        p.put("rate limits", new String[] {"ratelimits/default", "[data-section='resource'] h2::default"
                + " && [data-section='policies'] h2::Stored"});
        p.put("embeddings", new String[] {"embeddings", "[data-section='models'] h2::"});
        return p;
    }

    private static void run(ChromeDriver browser, String console, String token, int queues, int perQueue, int reps) {
        browser.get(console);
        ((JavascriptExecutor) browser).executeScript("sessionStorage.setItem('crew.console.token', arguments[0])", token);
        browser.get(console + "#/" + TENANT + "/overview");
        browser.navigate().refresh(); // loads the console again: now it finds the token
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        // every condition "selector::text" (joined by " && ") must hold: an element matching it whose text has that text
        String script = "const [hash, conditions, listPage, done] = arguments;"
                + "const t0 = performance.now();"
                + "location.hash = hash;"
                + "const holds = c => { const [sel, text] = c.split('::');"
                + "  return [...document.querySelectorAll(sel)].some(e => e.textContent.includes(text || '')); };"
                + "const selector = conditions.split(' && ')[0].split('::')[0];"
                + "const check = () => {"
                + "  const el = conditions.split(' && ').every(holds);"
                + "  if (el) done(performance.now() - t0);"
                + "  else if (document.querySelector('main .notice.na') && !document.querySelector(selector)"
                + "    && [...document.querySelectorAll('main .notice.na')].some(n => /not available on this server/.test(n.textContent))"
                + "    && listPage) done(-2);"
                + "  else if (performance.now() - t0 > 20000) done(-1);"
                + "  else requestAnimationFrame(check);"
                + "};"
                + "setTimeout(check, 0);";
        String blank = "const [hash, done] = arguments; location.hash = hash;"
                + "const check = () => document.querySelector('main h1') && document.querySelector('main h1').textContent === 'Not found'"
                + " ? done(0) : requestAnimationFrame(check); setTimeout(check, 0);";
        System.out.printf("%-55s %8s %8s %8s   target %d ms%n", "page", "p50 ms", "p95 ms", "max ms", TARGET_MS);
        boolean allMet = true;
        for (Map.Entry<String, String[]> page : pages(queues, perQueue).entrySet()) {
            List<Double> times = new ArrayList<>();
            for (int i = 0; i < reps + 2; i++) {
                ((JavascriptExecutor) browser).executeAsyncScript(blank, "#/" + TENANT + "/none");
                Number ms = (Number) ((JavascriptExecutor) browser).executeAsyncScript(script,
                        "#/" + TENANT + "/" + page.getValue()[0], page.getValue()[1], page.getValue().length > 2);
                if (ms.doubleValue() == -2) {
                    times.clear();
                    break;
                }
                if (ms.doubleValue() < 0) {
                    throw new IllegalStateException(page.getKey() + ": " + page.getValue()[1]
                            + " not shown within 20 s; page: " + browser.findElement(By.tagName("main")).getText());
                }
                if (i >= 2) { // two warm-ups
                    times.add(ms.doubleValue());
                }
            }
            if (times.isEmpty()) {
                System.out.printf("%-55s %s%n", page.getKey(), "not available on this server (its list endpoint answers 404)");
                continue;
            }
            Collections.sort(times);
            double p50 = times.get(times.size() / 2);
            double p95 = times.get(Math.min(times.size() - 1, (int) Math.ceil(times.size() * 0.95) - 1));
            double max = times.get(times.size() - 1);
            allMet &= p95 <= TARGET_MS;
            System.out.printf("%-55s %8.0f %8.0f %8.0f   %s%n", page.getKey(), p50, p95, max, p95 <= TARGET_MS ? "ok" : "OVER");
        }
        System.out.println(allMet ? "# every page within " + TARGET_MS + " ms at p95" : "# some page over " + TARGET_MS + " ms at p95");
    }
}
