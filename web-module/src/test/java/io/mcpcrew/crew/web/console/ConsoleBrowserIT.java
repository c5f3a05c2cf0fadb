package io.mcpcrew.crew.web.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpcrew.crew.testing.RedisServer;
import io.mcpcrew.crew.testing.RedisServerExtension;
import io.mcpcrew.crew.testing.TestTokens;
import io.mcpcrew.crew.web.Http;
import java.io.IOException;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The operations console in a real headless Chromium (Selenium WebDriver, Debian's chromium and chromedriver),
 * served by the real WAR on Payara Micro against a real redis-server: sign-in with a refused and a good token, a
 * tenant token kept to its tenant, tasks enqueued over the API appearing, pause stopping claims, a failing handler's
 * task reaching the dead letters and coming back on "retry" (one, and all after the confirmation), a published event
 * in the live tail, a dead letter redriven, a resource's usage after checks over the API, and an admin token
 * switching tenants. Every page is photographed at
 * 1280×800 and at phone width under {@code target/console-screenshots/}; the browser console must stay free of
 * errors (only the refusals a step provokes on purpose are allowed, each named).
 */
@ExtendWith(RedisServerExtension.class) // before Arquillian: Redis is up when Micro starts
@ExtendWith(ArquillianExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Path OUT = Path.of(System.getProperty("crew.test.screenshots", "target/console-screenshots"));
    private static ChromeDriver browser;
    private static int shots;

    /** Refusals a step provokes on purpose (the browser logs each answer >= 400 of a fetch as an error). */
    private final List<Predicate<String>> expected = new ArrayList<>();

    @Deployment(testable = false)
    static WebArchive war() {
        return Http.crewWar().addClasses(FlakyHandler.class);
    }

    @ArquillianResource
    URL base;

    private ChromeDriver browser() throws IOException {
        if (browser == null) {
            if (Files.isDirectory(OUT)) {
                try (var old = Files.list(OUT)) {
                    for (Path p : (Iterable<Path>) old::iterator) {
                        Files.delete(p);
                    }
                }
            }
            browser = Chromium.start(OUT.getParent().resolve("chromium"));
        }
        return browser;
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.quit();
            browser = null;
        }
    }

    /** After every step: nothing in the browser console at level SEVERE but what the step expected. */
    @AfterEach
    void browserConsoleHasNoErrors() {
        if (browser == null) {
            return;
        }
        List<String> errors = new ArrayList<>();
        for (LogEntry e : browser.manage().logs().get(LogType.BROWSER).getAll()) {
            if (e.getLevel().intValue() >= Level.SEVERE.intValue()
                    && expected.stream().noneMatch(p -> p.test(e.getMessage()))) {
                errors.add(e.getMessage());
            }
        }
        expected.clear();
        assertEquals(List.of(), errors, "errors in the browser console");
    }

    private void expectRefusal(String urlPart, int status) {
        expected.add(m -> m.contains(urlPart) && m.contains("status of " + status));
    }

    private String console() {
        return base + "console/";
    }

    private String api(String path) {
        return base + "api/v1/" + path;
    }

    /** A wait that looks again when the page re-rendered what it was reading (the console refreshes every 2 s). */
    private WebDriverWait waiting() {
        WebDriverWait w = new WebDriverWait(browser, WAIT);
        w.ignoring(StaleElementReferenceException.class);
        return w;
    }

    private WebElement waitFor(By by) {
        return waiting().until(d -> {
            List<WebElement> found = d.findElements(by);
            return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
        });
    }

    /** Clicks the element `by` finds, finding it again if a refresh replaced it meanwhile. */
    private void click(By by) {
        waiting().until(d -> {
            WebElement e = d.findElement(by);
            if (!e.isDisplayed() || !e.isEnabled()) {
                return false;
            }
            e.click();
            return true;
        });
    }

    private void waitForText(By by, String text) {
        waiting().withMessage(() -> "text '" + text + "' in " + by + "; page: " + browser.findElement(By.tagName("main")).getText())
                .until(d -> d.findElements(by).stream().anyMatch(e -> e.getText().contains(text)));
    }

    /** The value of a stat card, read in one script (a refresh may replace the card at any time). */
    private String stat(String id) {
        Object v = ((JavascriptExecutor) browser).executeScript("const e = document.querySelector(arguments[0]);"
                + " return e ? e.textContent : null;", "[data-stat='" + id + "'] .value");
        return v == null ? null : v.toString();
    }

    private void waitForStat(String id, String value) {
        waiting().withMessage(() -> "stat " + id + " = " + value + " (is " + stat(id) + ")")
                .until(d -> value.equals(stat(id)));
    }

    /**
     * Screenshots of the page: what a 1280×800 screen shows, the whole page at 1280 px wide, and the whole page at
     * phone width, which it may not exceed.
     */
    private void photograph(String name) throws IOException {
        Files.createDirectories(OUT);
        shots++;
        Files.write(OUT.resolve(String.format("%02d-%s-1280x800.png", shots, name)), Chromium.screen(browser));
        Files.write(OUT.resolve(String.format("%02d-%s-1280-full.png", shots, name)), Chromium.fullPage(browser));
        Chromium.phone(browser, true);
        try {
            waiting().until(d -> (Long) ((JavascriptExecutor) d).executeScript("return window.innerWidth") <= 400);
            long overflow = (Long) ((JavascriptExecutor) browser).executeScript(
                    "return document.documentElement.scrollWidth - window.innerWidth");
            assertTrue(overflow <= 0, name + " is " + overflow + " px wider than a 390 px phone screen");
            Files.write(OUT.resolve(String.format("%02d-%s-phone.png", shots, name)), Chromium.fullPage(browser));
        } finally {
            Chromium.phone(browser, false);
        }
    }

    private void signIn(String token) {
        WebElement field = waitFor(By.id("token"));
        field.clear();
        ((JavascriptExecutor) browser).executeScript("arguments[0].value = arguments[1]", field, token);
        browser.findElement(By.id("sign-in")).click();
    }

    private void signOut() {
        browser.findElement(By.id("sign-out")).click();
        waitFor(By.id("token"));
    }

    private void go(String hash) {
        browser.get(console() + hash);
    }

    /** Presses Tab until the element with this id has the focus (at most 100 times); fails if it never does. */
    private WebElement tabTo(String id) {
        ((JavascriptExecutor) browser).executeScript("document.activeElement && document.activeElement.blur();"
                + "window.scrollTo(0, 0); document.body.focus();");
        for (int i = 0; i < 100; i++) {
            new Actions(browser).sendKeys(Keys.TAB).perform();
            WebElement active = browser.switchTo().activeElement();
            if (id.equals(active.getAttribute("id"))) {
                return active;
            }
        }
        throw new AssertionError("#" + id + " is not reachable with the Tab key");
    }

    private static HttpResponse<String> send(String method, String url, String json) {
        HttpResponse<String> r = Http.send(method, url, json);
        assertTrue(r.statusCode() < 300, method + " " + url + " → " + r.statusCode() + " " + r.body());
        return r;
    }

    private static String idOf(HttpResponse<String> r) {
        Matcher m = Pattern.compile("\"id\":\"([^\"]+)\"").matcher(r.body());
        assertTrue(m.find(), r.body());
        return m.group(1);
    }

    @Test
    @Order(1)
    void aBadTokenGetsAClearMessage() throws IOException {
        browser().get(base + "console");
        waitFor(By.id("token"));
        assertTrue(browser.getCurrentUrl().endsWith("/crew/console/"), "redirected to the directory: " + browser.getCurrentUrl());
        assertEquals("Sign in to the Crew Redis console", browser.findElement(By.tagName("h1")).getText());
        photograph("sign-in");

        expectRefusal("/crew/api/v1/whoami", 401);
        signIn("not.a.token");
        waitForText(By.id("signin-message"), "This token was refused by the server");
        String message = browser.findElement(By.id("signin-message")).getText();
        assertTrue(message.contains("the bearer token is missing, malformed, expired, or not signed by the configured key/issuer"), message);
        signIn(TestTokens.expired("acme"));
        waitForText(By.id("signin-message"), "This token was refused by the server");
        photograph("sign-in-refused");
    }

    @Test
    @Order(2)
    void aTenantTokenSeesItsTenantAndNotAnother() throws IOException {
        browser().get(console());
        signIn(TestTokens.forTenant("acme"));
        waitForText(By.id("tenant-fixed"), "Tenant acme");
        assertTrue(browser.getCurrentUrl().endsWith("#/acme/overview"), browser.getCurrentUrl());
        assertTrue(!browser.findElement(By.id("tenant-switch")).isDisplayed(), "a tenant token has no tenant switch");
        waitFor(By.cssSelector("[data-stat='readiness']"));
        waitForStat("readiness", "UP");
        waitForStat("breaker", "CLOSED");
        photograph("overview-tenant");

        expectRefusal("/tenants/globex/", 403);
        go("#/globex/queues/jobs");
        waitForText(By.cssSelector(".page-errors"), "403");
        String error = browser.findElement(By.cssSelector(".page-errors")).getText();
        assertTrue(error.contains("this token is for tenant \"acme\", not \"globex\""), error);
        assertTrue(browser.findElements(By.cssSelector("[data-stat='pending']")).isEmpty(), "no numbers of globex shown");
        photograph("other-tenant-refused");
    }

    @Test
    @Order(3)
    void tasksEnqueuedOverTheApiAppearAndPauseStopsClaims() throws Exception {
        browser();
        go("#/acme/queues/jobs");
        waitFor(By.id("pause"));
        waitForStat("pending", "0");
        // pause with the keyboard alone: Tab to the button, Enter
        tabTo("pause").sendKeys(Keys.ENTER);
        waitForText(By.id("queue-state"), "paused");
        assertTrue(Http.get(api("tenants/acme/queues/jobs")).body().contains("\"paused\":true"));

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(idOf(send("POST", api("tenants/acme/queues/jobs/tasks"), "{\"name\":\"echo\",\"payload\":{\"n\":" + i + "}}")));
        }
        waitForStat("pending", "5");
        for (String id : ids) { // the pending tab lists them (a page of the listing API)
            waitFor(By.cssSelector("#tasks-list tr[data-task='" + id + "']"));
        }
        Thread.sleep(1500); // 30 poll intervals of the workers (50 ms here): a claim would have happened
        String stats = Http.get(api("tenants/acme/queues/jobs")).body();
        assertTrue(stats.contains("\"pending\":5") && stats.contains("\"running\":0") && stats.contains("\"succeededTotal\":0"),
                "a paused queue's tasks are not claimed: " + stats);
        waitForStat("pending", "5");
        assertEquals("0", stat("succeeded"));
        photograph("queue-paused");

        click(By.id("resume"));
        waitForText(By.id("queue-state"), "active");
        waitForStat("succeeded", "5");
        waitForStat("pending", "0");
        photograph("queue");

        browser.findElement(By.cssSelector("#nav a[data-page='queues']")).click();
        waitFor(By.cssSelector("[data-section='queue-list'] a[href='#/acme/queues/jobs']")); // listed by the server
        waitForText(By.cssSelector("[data-section='queue-list'] tr[data-queue='jobs']"), "active");
        photograph("queues");

        go("#/acme/queues/jobs/tasks/" + ids.get(0));
        waitForText(By.id("task-detail"), "SUCCEEDED");
        waitForText(By.id("task-payload"), "\"n\": 0");
        photograph("task");
    }

    @Test
    @Order(4)
    void aFailingTaskReachesTheDeadLettersAndRetryBringsItBack() throws Exception {
        browser();
        go("#/acme/queues/flaky");
        waitFor(By.id("pause"));
        String id = idOf(send("POST", api("tenants/acme/queues/flaky/tasks"), "{\"name\":\"console-flaky\",\"maxAttempts\":1}"));
        waitFor(By.cssSelector("button[data-retry='" + id + "']"));
        waitForStat("dead", "1");
        waitForText(By.cssSelector("tr[data-dead='" + id + "']"), "console-flaky fails the first attempt");
        photograph("queue-dead-letter");

        click(By.cssSelector("button[data-retry='" + id + "']"));
        waiting().until(d -> d.findElements(By.cssSelector("tr[data-dead='" + id + "']")).isEmpty());
        waitForStat("dead", "0");
        go("#/acme/queues/flaky/tasks/" + id);
        waitForText(By.id("task-detail"), "SUCCEEDED");
        waitForText(By.id("task-result"), "recovered");
        photograph("task-retried");

        // retry all, after the confirmation, with the keyboard
        go("#/acme/queues/flaky");
        List<String> more = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            more.add(idOf(send("POST", api("tenants/acme/queues/flaky/tasks"), "{\"name\":\"console-flaky\",\"maxAttempts\":1}")));
        }
        waitForStat("dead", "3");
        click(By.id("retry-all"));
        WebElement dialog = waitFor(By.id("confirm"));
        assertTrue(dialog.getText().contains("Retry all 3 dead tasks"), dialog.getText());
        assertEquals("confirm-cancel", browser.switchTo().activeElement().getAttribute("id"), "the safe choice has the focus");
        photograph("retry-all-confirmation");
        new Actions(browser).sendKeys(Keys.TAB).perform();
        assertEquals("confirm-ok", browser.switchTo().activeElement().getAttribute("id"));
        new Actions(browser).sendKeys(Keys.ENTER).perform();
        waitForStat("dead", "0");
        for (String m : more) {
            String body = Http.get(api("tenants/acme/queues/flaky/tasks/" + m + "?wait=30")).body();
            assertTrue(body.contains("\"state\":\"SUCCEEDED\""), body);
        }
    }

    @Test
    @Order(5)
    void aPublishedEventShowsInTheLiveTailAndADeadLetterIsRedriven(RedisServer redis) throws Exception {
        browser();
        send("POST", api("tenants/acme/streams/orders/events"), "{\"type\":\"order.created\",\"data\":{\"n\":0}}");
        go("#/acme/streams/orders");
        waitForText(By.id("tail-state"), "live");
        waitForStat("length", "1");
        String id = idOf(send("POST", api("tenants/acme/streams/orders/events"),
                "{\"type\":\"order.paid\",\"data\":{\"sku\":\"console-7\"},\"correlationId\":\"req-42\"}"));
        WebElement item = waitFor(By.cssSelector("#tail li[data-event-id='" + id + "']"));
        assertTrue(item.getText().contains("order.paid") && item.getText().contains("console-7")
                && item.getText().contains("req-42"), item.getText());
        waitForStat("length", "2");

        // a dead letter as a consumer group of another service leaves it (docs/wire-format/events.md)
        String deadId = redis.command("XADD", "crewit:acme:events:{acme.orders}:dead", "*", "v", "1", "type", "order.refund",
                "tenant", "acme", "ts", Long.toString(System.currentTimeMillis()), "priority", "normal",
                "data", "{\"sku\":\"console-9\"}", "dead_original_id", id, "dead_error", "IllegalStateException: refund failed",
                "dead_deliveries", "5", "dead_group", "billing", "dead_consumer", "node-1", "dead_at",
                Long.toString(System.currentTimeMillis())).trim();
        waitFor(By.cssSelector("button[data-key='redrive:" + deadId + "']"));
        waitForText(By.cssSelector("tr[data-dead-letter='" + deadId + "']"), "refund failed");
        waitForStat("dead-letters", "1");
        photograph("stream");
        click(By.cssSelector("button[data-key='redrive:" + deadId + "']"));
        WebElement again = waitFor(By.cssSelector("#tail li[data-type='order.refund']"));
        assertTrue(again.getText().contains("console-9"), again.getText());
        waitForStat("dead-letters", "0");
        waitForStat("length", "3");

        browser.findElement(By.cssSelector("#nav a[data-page='streams']")).click();
        waitFor(By.cssSelector("[data-section='stream-list'] a[href='#/acme/streams/orders']"));
        photograph("streams");
    }

    @Test
    @Order(6)
    void sessionsRateLimitsAndEmbeddingsPages() throws Exception {
        browser();
        send("POST", api("tenants/acme/sessions"), "{\"userId\":\"alice\",\"data\":{\"theme\":\"dark\"},\"ttlSeconds\":600}");
        String second = idOf(send("POST", api("tenants/acme/sessions"), "{\"userId\":\"alice\",\"data\":{\"cart\":3}}"));
        go("#/acme/sessions/alice");
        waitFor(By.cssSelector("tr[data-session='" + second + "']"));
        waitForStat("sessions", "2");
        waitForStat("active-users", "1");
        photograph("sessions");
        click(By.cssSelector("button[data-key='revoke:" + second + "']"));
        click(By.id("confirm-ok"));
        waiting().until(d -> d.findElements(By.cssSelector("tr[data-session='" + second + "']")).isEmpty());
        assertEquals(404, Http.get(api("tenants/acme/sessions/" + second)).statusCode(), "revoked through the API");

        // a resource's usage: units consumed over the API show as used of the limit, and the page refreshes them
        send("PUT", api("tenants/acme/ratelimits/llm/policy"), "{\"maxRequests\":5,\"windowSeconds\":3600}");
        send("POST", api("tenants/acme/ratelimits/llm/check"), "{\"cost\":3}");
        go("#/acme/ratelimits/llm");
        waitForText(By.cssSelector("[data-section='resource']"), "stored policy");
        By llm = By.cssSelector("[data-section='resource-usage'] tr[data-limit='llm']");
        waitForText(llm, "3 / 5");
        send("POST", api("tenants/acme/ratelimits/llm/check"), "{\"cost\":1}");
        waitForText(llm, "4 / 5");
        assertTrue(Http.get(api("tenants/acme/ratelimits/llm/usage")).body().contains("\"used\":4,\"remaining\":1,"),
                "showing the usage consumed nothing");
        waitFor(By.cssSelector("[data-section='policies'] a[href='#/acme/ratelimits/llm']"));
        photograph("ratelimits");

        send("PUT", api("tenants/acme/embeddings/text-embedding-3-small"),
                "{\"items\":[{\"text\":\"hello\",\"vector\":[0.5,-1.0,0.25]}]}");
        send("POST", api("tenants/acme/embeddings/text-embedding-3-small/lookup"), "{\"texts\":[\"hello\",\"nope\"]}");
        go("#/acme/embeddings/text-embedding-3-small");
        waitForStat("hit-ratio", "50.0 %");
        waitFor(By.cssSelector("[data-section='models'] a[href='#/acme/embeddings/text-embedding-3-small']"));
        click(By.id("count-entries"));
        waitForText(By.id("entries"), "1 vector in Redis (exact)");
        photograph("embeddings");
    }

    @Test
    @Order(7)
    void anAdminSeesEveryTenantAndSwitches() throws Exception {
        browser();
        go("#/acme/overview");
        signOut();
        signIn(TestTokens.admin());
        waitForText(By.id("subject"), "(admin)");
        assertTrue(browser.findElement(By.id("tenant-switch")).isDisplayed(), "an admin token has the tenant switch");
        waitForStat("readiness", "UP");
        // every tenant (the admin listing) with its tasks from the metrics; the metrics' parts of the overview
        waitForText(By.cssSelector("[data-section='tenants'] a[href='#/acme/overview']"), "acme");
        waitFor(By.cssSelector("[data-section='fallback'] table"));
        waitFor(By.cssSelector("[data-chart='ops']"));
        waitForText(By.cssSelector("[data-section='memory']"), "Eviction policy");
        click(By.id("estimate-memory"));
        waitForText(By.id("memory-estimate"), "acme");
        photograph("overview-admin");
        WebElement input = browser.findElement(By.id("tenant-input"));
        input.clear();
        input.sendKeys("acme", Keys.ENTER);
        waiting().until(d -> d.getCurrentUrl().endsWith("#/acme/overview"));
        browser.findElement(By.cssSelector("#nav a[data-page='queues']")).click();
        go("#/acme/queues/jobs");
        waitForStat("succeeded", "5");
        input = browser.findElement(By.id("tenant-input"));
        input.clear();
        input.sendKeys("globex", Keys.ENTER);
        waiting().until(d -> d.getCurrentUrl().endsWith("#/globex/queues")); // the same page, of the other tenant
        go("#/globex/queues/jobs");
        waitForStat("succeeded", "0");
        photograph("queue-admin-other-tenant");
    }
}
