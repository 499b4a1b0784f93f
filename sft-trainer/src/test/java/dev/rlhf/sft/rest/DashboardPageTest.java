package dev.rlhf.sft.rest;

import static dev.rlhf.service.jobs.testing.JobApi.awaitState;
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
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.FluentWait;
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
            // The page redraws rows, charts and samples as data arrives: an element found a moment ago may be gone.
            FluentWait<WebDriver> wait =
                    new WebDriverWait(driver, Duration.ofMinutes(3)).ignoring(StaleElementReferenceException.class);
            try {
                driver.get(page.toString());
                wait.withMessage("the job's row, clicked").until(d -> {
                    d.findElement(By.cssSelector("tr.job[data-job-id='" + id + "']"))
                            .click();
                    return true;
                });

                int first = wait.withMessage("3 loss points on the chart")
                        .until(d -> seriesPoints(d, "loss") >= 3 ? seriesPoints(d, "loss") : null);
                // More points after the first batch: the page follows the job live, not a one-off fetch.
                wait.withMessage("more loss points than the first " + first)
                        .until(d -> seriesPoints(d, "loss") > first);
                // Evaluations share steps with training log lines; each must reach the page as its own point.
                wait.withMessage("2 eval_loss points").until(d -> seriesPoints(d, "eval_loss") >= 2);
                wait.withMessage("the sample's prompt")
                        .until(d -> PROMPT.equals(
                                script(d, "return document.querySelector('#samples .prompt')?.textContent")));

                List<?> charts = (List<?>) script(
                        driver, "return [...document.querySelectorAll('#charts figure')].map(f => f.dataset.group)");
                assertEquals("loss", charts.get(0), "the loss chart leads: " + charts);
                assertTrue(charts.containsAll(List.of("lr", "grad_norm")), "lr and grad norm plotted: " + charts);
                assertEquals("live", streamState(driver));
                browser.screenshot("sft-live-curves");

                // Cancelling ends the job and its stream; the page says so instead of reconnecting for ever.
                given().delete("/jobs/" + id).then().statusCode(202);
                wait.withMessage("the stream to end with the job").until(d -> "ended".equals(streamState(d)));
            } catch (TimeoutException | AssertionError e) {
                browser.screenshot("sft-live-curves-failure");
                throw new AssertionError(e.getMessage() + "\nbrowser console:\n" + browser.consoleLog(), e);
            }
        } finally {
            given().delete("/jobs/" + id);
            awaitState(id, "cancelled", "succeeded", "failed");
        }
    }

    /**
     * A PPO job's metrics (TRL's names) are charted in one section per namespace, the objective first; plain names
     * (an SFT job's) share one section. Runs the page's own module in the browser, on the keys a learner logs.
     */
    @Test
    void metricsAreChartedInOneSectionPerNamespace() throws Exception {
        HeadlessChromium.assumeInstalled();
        try (HeadlessChromium browser = HeadlessChromium.start()) {
            WebDriver driver = browser.driver();
            driver.get(page.toString());
            Object sections = ((JavascriptExecutor) driver)
                    .executeAsyncScript(
                            "const done = arguments[arguments.length - 1];"
                                    + " import('./js/metric-groups.js').then(m => done(m.sectionsFor(arguments[0])"
                                    + ".map(s => s.title + ':' + s.charts.map(c => c.id).join(','))))"
                                    + ".catch(e => done('error: ' + e));",
                            List.of(
                                    "step",
                                    "iteration",
                                    "time/train",
                                    "time/generate",
                                    "val/explained_variance",
                                    "policy/clipfrac_avg",
                                    "val/clipfrac_avg",
                                    "objective/kl",
                                    "objective/scores",
                                    "loss/policy_avg",
                                    "rollouts/per_s",
                                    "ppo/skipped_steps"));
            assertEquals(
                    List.of(
                            "Objective:scores,kl",
                            "Losses:ppo_loss",
                            "Policy:clipping",
                            "Rollouts:throughput",
                            "Time:timing",
                            "Optimisation:ppo/skipped_steps",
                            "Value model:val/explained_variance"),
                    sections);
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

    /** Points the page has drawn for one metric (the data-points of its line; 0 while it has none). */
    private static int seriesPoints(WebDriver driver, String metric) {
        Object points = script(
                driver,
                "const line = document.querySelector(`polyline[data-series='${arguments[0]}']`);"
                        + " return line ? Number(line.dataset.points) : 0;",
                metric);
        return ((Number) points).intValue();
    }

    /** {@code live}, {@code reconnecting} or {@code ended}: the state of the page's metrics stream. */
    private static Object streamState(WebDriver driver) {
        return script(driver, "return document.getElementById('job-panel').dataset.stream");
    }

    /** Runs a script in the page: one atomic read, where a chain of element look-ups could see a redraw midway. */
    private static Object script(WebDriver driver, String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }
}
