package dev.rlhf.sft.rest;

import static dev.rlhf.sft.rest.TinyJobs.awaitState;
import static dev.rlhf.sft.rest.TinyJobs.config;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard ({@code GET /}, served from trainer-common) in a real browser: a job trains, the page lists it, and
 * once selected its curves fill in live over server-sent events and its latest samples appear. Leaves a screenshot in
 * {@code target/screenshots/sft-live-curves.png}. Needs Chromium (see {@link HeadlessChromium}).
 */
@QuarkusTest
class DashboardPageTest {

    private static final String PROMPT = "How do I bake bread?";

    @TestHTTPResource("/")
    URL page;

    @Test
    void aSelectedJobsCurvesGrowLiveAndItsLatestSamplesShow() throws Exception {
        HeadlessChromium.assumeInstalled();
        String id = submitLongJob(Files.createTempDirectory("sft-dashboard"));
        try (HeadlessChromium browser = HeadlessChromium.start()) {
            WebDriver driver = browser.driver();
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofMinutes(3));
            try {
                driver.get(page.toString());
                wait.until(d -> d.findElement(By.cssSelector("tr.job[data-job-id='" + id + "']")))
                        .click();

                int first = wait.until(d -> lossPoints(d) >= 3 ? lossPoints(d) : null);
                // More points after the first batch: the page follows the job live, not a one-off fetch.
                wait.until(d -> lossPoints(d) > first);
                // Evaluations share steps with training log lines; each must reach the page as its own point.
                wait.until(d -> seriesPoints(d, "eval_loss") >= 2);
                wait.until(
                        d -> !d.findElements(By.cssSelector("#samples .sample")).isEmpty());

                List<String> charts = driver.findElements(By.cssSelector("#charts figure.chart")).stream()
                        .map(f -> f.getDomAttribute("data-group"))
                        .toList();
                assertEquals("loss", charts.get(0), "the loss chart leads: " + charts);
                assertTrue(charts.containsAll(List.of("lr", "grad_norm")), "lr and grad norm plotted: " + charts);
                WebElement sample = driver.findElement(By.cssSelector("#samples .sample"));
                assertEquals(
                        PROMPT, sample.findElement(By.cssSelector(".prompt")).getText());
                assertEquals("live", driver.findElement(By.id("job-panel")).getDomAttribute("data-stream"));
                browser.screenshot("sft-live-curves");

                // Cancelling ends the job and its stream; the page says so instead of reconnecting for ever.
                given().delete("/jobs/" + id).then().statusCode(202);
                wait.until(d -> "ended".equals(d.findElement(By.id("job-panel")).getDomAttribute("data-stream")));
            } catch (TimeoutException | AssertionError e) {
                browser.screenshot("sft-live-curves-failure");
                throw new AssertionError(e.getMessage() + "\nbrowser console:\n" + browser.consoleLog(), e);
            }
        } finally {
            given().delete("/jobs/" + id);
            awaitState(id, "cancelled", "succeeded", "failed");
        }
    }

    /** A job that trains until cancelled, evaluating (and writing samples) every 4 steps. */
    private static String submitLongJob(Path output) {
        String yaml = config(output, "dashboard", 100_000) + "\nsamples:\n  prompts: [\"" + PROMPT
                + "\"]\n  max_new_tokens: 12\n";
        return given().contentType("application/yaml")
                .queryParam("set", "train.epochs=1000", "train.eval_every=4")
                .body(yaml.getBytes(StandardCharsets.UTF_8))
                .post("/jobs")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
    }

    private static int lossPoints(WebDriver driver) {
        return seriesPoints(driver, "loss");
    }

    /** Points the page has drawn for one metric (the data-points of its line; 0 while it has none). */
    private static int seriesPoints(WebDriver driver, String metric) {
        List<WebElement> lines = driver.findElements(By.cssSelector("polyline[data-series='" + metric + "']"));
        return lines.isEmpty() ? 0 : Integer.parseInt(lines.get(0).getDomAttribute("data-points"));
    }
}
