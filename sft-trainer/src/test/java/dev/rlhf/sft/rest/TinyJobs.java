package dev.rlhf.sft.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.path.json.JsonPath;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Tiny SFT jobs for the service tests: a config that trains on CPU in seconds, and waiting on a job's state. */
final class TinyJobs {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private TinyJobs() {}

    /** The tiny Llama on 112 HH conversations (16 held out), logging every 2 steps, writing under {@code output}. */
    static String config(Path output, String exp, int maxSteps) {
        return String.join(
                "\n",
                "model:",
                "  init: " + ROOT.resolve("configs/model/tiny.json"),
                "  tokenizer: " + ROOT.resolve("configs/tokenizer/shakespeare-2k"),
                "data:",
                "  datasets:",
                "    - path: "
                        + ROOT.resolve("../shared/data/hh-harmless-pairs.jsonl.gz")
                                .normalize(),
                "      format: hh",
                "      size: 112",
                "      split: 16",
                "seq_len: 96",
                "train:",
                "  batch_size: 4",
                "  lr: 3.0e-3",
                "  warmup_steps: 2",
                "  log_every: 2",
                "  max_steps: " + maxSteps,
                "output_dir: " + output,
                "exp: " + exp);
    }

    /** Polls {@code GET /jobs/{id}} until its state is one of {@code states}; fails after 3 minutes. */
    static JsonPath awaitState(String id, String... states) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (true) {
            JsonPath job =
                    given().get("/jobs/" + id).then().statusCode(200).extract().jsonPath();
            if (List.of(states).contains(job.getString("state"))) {
                return job;
            }
            assertTrue(System.nanoTime() < deadline, "job " + id + " still " + job.getString("state"));
            Thread.sleep(100);
        }
    }
}
