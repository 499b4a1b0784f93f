package dev.rlhf.sft.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.rlhf.core.jobs.JobRecord;
import dev.rlhf.core.jobs.JobState;
import dev.rlhf.core.jobs.JobStore;
import dev.rlhf.service.jobs.testing.JobApi;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A service started over the job records of one that died lists its jobs; the one that was running is interrupted and
 * {@code POST /jobs/{id}/resume} runs it again.
 */
@QuarkusTest
@TestProfile(JobRestartTest.AfterACrash.class)
class JobRestartTest {

    static final String RUNNING = "deadbeef";
    static final String DONE = "0ddba11e";

    /** A state directory as a killed service left it, and jobs that finish without training. */
    public static class AfterACrash implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path state = Files.createTempDirectory("sft-job-state");
                JobStore store = JobStore.in(state.resolve("sft-trainer"));
                store.save(record(DONE, JobState.SUCCEEDED, "2026-01-01T08:00:00Z", "2026-01-01T08:30:00Z"));
                store.save(record(RUNNING, JobState.RUNNING, "2026-01-01T09:00:00Z", null));
                return Map.of("rlhf.api.state-dir", state.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(InstantJobRunner.class);
        }

        private static JobRecord record(String id, JobState state, String submitted, String ended) {
            return new JobRecord(
                    id,
                    List.of("tiny-llama"),
                    "exp: " + id,
                    List.of(),
                    state,
                    "runs/sft/" + id,
                    submitted,
                    submitted,
                    ended,
                    null,
                    null);
        }
    }

    @Test
    void jobsOfTheDeadServiceAreListedAndTheInterruptedOneResumes() throws Exception {
        given().get("/jobs").then().statusCode(200).body("id", equalTo(List.of(DONE, RUNNING)));
        given().get("/jobs/" + DONE)
                .then()
                .body("state", equalTo("succeeded"))
                .body("run_dir", equalTo("runs/sft/" + DONE));
        given().get("/jobs/" + RUNNING).then().body("state", equalTo("interrupted"));

        given().post("/jobs/" + DONE + "/resume").then().statusCode(409).body("error", containsString("succeeded"));
        given().post("/jobs/nope/resume").then().statusCode(404);
        given().post("/jobs/" + RUNNING + "/resume").then().statusCode(202).body("id", equalTo(RUNNING));
        JobApi.awaitState(RUNNING, "succeeded");
    }
}
