package dev.rlhf.sft.rest;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;

/**
 * Debian's Chromium, headless, driven through Debian's chromedriver (packages {@code chromium} and
 * {@code chromium-driver}). Both paths are set explicitly, so Selenium Manager never runs and nothing is downloaded.
 * Other paths: {@code -Drlhf.chromium=...} and {@code -Drlhf.chromedriver=...}.
 *
 * <p>Where they are missing, a browser test is skipped with the reason, except under {@code CI=true}, where it fails:
 * CI installs the packages, so a missing browser there is a broken CI setup, not a reason to skip.
 */
final class HeadlessChromium implements AutoCloseable {

    static final String INSTALL = "apt-get install -y chromium chromium-driver";
    private static final Path BROWSER = Path.of(System.getProperty("rlhf.chromium", "/usr/bin/chromium"));
    private static final Path DRIVER = Path.of(System.getProperty("rlhf.chromedriver", "/usr/bin/chromedriver"));

    private final ChromeDriver driver;
    private final Path profile;

    private HeadlessChromium(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** Skips the calling test when Chromium or its driver is missing, or fails it under {@code CI=true}. */
    static void assumeInstalled() {
        List<Path> missing =
                Stream.of(BROWSER, DRIVER).filter(p -> !Files.isExecutable(p)).toList();
        if (missing.isEmpty()) {
            return;
        }
        String reason = "no executable " + missing + "; install it with: " + INSTALL;
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(reason + " (CI=true: the browser test must run, so .ci/run has to install the packages)");
        }
        Assumptions.abort(reason);
    }

    /** A headless browser with a fresh profile and a window tall enough for the job table, charts and samples. */
    static HeadlessChromium start() throws IOException {
        Path profile = Files.createTempDirectory("chromium-profile");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox", // tests run as root in CI
                "--disable-dev-shm-usage",
                "--disable-gpu",
                "--no-first-run",
                "--window-size=1280,1500",
                "--user-data-dir=" + profile);
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        return new HeadlessChromium(new ChromeDriver(service, options), profile);
    }

    ChromeDriver driver() {
        return driver;
    }

    /** Saves the page as {@code target/screenshots/<name>.png} and returns the file. */
    Path screenshot(String name) throws IOException {
        Path dir = Files.createDirectories(Path.of("target", "screenshots"));
        Path file = dir.resolve(name + ".png");
        Files.move(driver.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
        return file;
    }

    /** The page's console messages so far (JavaScript errors included), for failure messages. */
    String consoleLog() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .map(entry -> entry.getLevel() + " " + entry.getMessage())
                .collect(Collectors.joining("\n"));
    }

    @Override
    public void close() throws IOException {
        driver.quit();
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
    }
}
