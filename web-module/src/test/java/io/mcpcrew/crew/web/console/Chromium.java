package io.mcpcrew.crew.web.console;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * A real headless Chromium driven by its chromedriver: Debian's {@code chromium} and {@code chromium-driver}
 * (found on the PATH, or at {@code -Dcrew.test.chromium} / {@code -Dcrew.test.chromedriver}). Missing either is a
 * test failure that says how to install them, never a skip. Selenium downloads nothing (no Selenium Manager: both
 * paths are given).
 */
final class Chromium {
    static final String INSTALL = "install Debian's chromium and chromium-driver (apt-get install -y chromium chromium-driver;"
            + " .ci/run installs them when missing)";

    private Chromium() {
    }

    /** A fresh headless browser with a 1280×800 window, logging every browser console message. */
    static ChromeDriver start(Path profileParent) throws IOException {
        String browser = find("crew.test.chromium", "chromium", "chromium-browser", "google-chrome");
        String driver = find("crew.test.chromedriver", "chromedriver");
        List<String> missing = new ArrayList<>();
        if (browser == null) {
            missing.add("chromium");
        }
        if (driver == null) {
            missing.add("chromedriver");
        }
        if (!missing.isEmpty()) {
            throw new AssertionError("the console's browser tests need a real Chromium: " + String.join(" and ", missing)
                    + " not found on the PATH (" + System.getenv("PATH") + "): " + INSTALL);
        }
        Files.createDirectories(profileParent);
        Path profile = Files.createTempDirectory(profileParent, "chromium-profile-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(browser);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,800", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                "--disable-background-networking", "--disable-sync", "--lang=en-GB",
                "--user-data-dir=" + profile.toAbsolutePath());
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(driver))
                .usingAnyFreePort().withLogFile(profileParent.resolve("chromedriver.log").toFile()).build();
        ChromeDriver d = new ChromeDriver(service, options);
        phone(d, false);
        return d;
    }

    /** Emulates a phone's screen (390×844 CSS pixels, touch, scale 2), or the 1280×800 desktop again with null. */
    static void phone(ChromeDriver driver, boolean on) {
        if (on) {
            driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", 390, "height", 844,
                    "deviceScaleFactor", 2, "mobile", true));
        } else {
            driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        }
    }

    /** A PNG of the whole page (beyond the viewport), as the page is laid out now. */
    @SuppressWarnings("unchecked")
    static byte[] fullPage(ChromeDriver driver) {
        Map<String, Object> metrics = driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
        Map<String, Object> size = (Map<String, Object>) metrics.get("cssContentSize");
        return capture(driver, ((Number) size.get("width")).doubleValue(),
                Math.min(8000, ((Number) size.get("height")).doubleValue()));
    }

    /** A PNG of what a 1280×800 screen shows of the page from its top. */
    static byte[] screen(ChromeDriver driver) {
        return capture(driver, 1280, 800);
    }

    private static byte[] capture(ChromeDriver driver, double width, double height) {
        Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
                "captureBeyondViewport", true, "clip", Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1)));
        return java.util.Base64.getDecoder().decode((String) shot.get("data"));
    }

    private static String find(String property, String... names) {
        String given = System.getProperty(property);
        if (given != null && !given.isBlank()) {
            return new File(given).canExecute() ? given : null;
        }
        String path = System.getenv("PATH");
        for (String dir : (path == null ? "" : path).split(File.pathSeparator)) {
            for (String n : names) {
                File f = new File(dir, n);
                if (f.isFile() && f.canExecute()) {
                    return f.getAbsolutePath();
                }
            }
        }
        return null;
    }
}
