package dev.rlhf.rl.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.rl.config.RlServiceConfig;
import dev.rlhf.rl.testing.TinyPpoFiles;
import dev.rlhf.service.jobs.testing.JobApi;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A GRPO job whose policy carries Qwen3's tokenizer and chat template and whose reward model carries the project's
 * own: the policy is asked in Qwen3's layout, and the reward model, served by the gateway with its 2,000-token
 * vocabulary, gets the rollouts re-rendered in its own (Qwen3 ids would be out of its vocabulary and fail the job).
 */
@QuarkusTest
class PpoChatTemplateJobTest {

    @Inject
    RlServiceConfig rl; // the gateway jar embedded scoring starts

    @Test
    void aQwen3TemplatedPolicyTrainsAgainstARewardModelOfAnotherTemplate() throws Exception {
        TinyPpoFiles files = TinyPpoFiles.writeQwen3Policy(Files.createTempDirectory("ppo-qwen3"));
        String body =
                files.config(2, 8, "exp: qwen3").replace("epochs: 1}", "epochs: 1, algorithm: grpo, group_size: 2}");
        String id = JobApi.submit(body);
        JsonPath done = JobApi.awaitEnd(id, Duration.ofMinutes(5));
        assertEquals("succeeded", done.getString("state"), done.prettify());
        Path run = Path.of(done.getString("run_dir"));
        StringBuilder samples = new StringBuilder();
        try (Stream<Path> written = Files.list(run.resolve("samples"))) {
            for (Path file : written.toList()) {
                samples.append(Files.readString(file));
            }
        }
        // decoded without special tokens: Qwen3's roles are plain words around the prompt, ours are special tokens
        assertTrue(samples.toString().contains("user\nquestion number"), samples.toString());
        assertTrue(samples.toString().contains("?\nassistant"), samples.toString());
        assertFalse(JobApi.metrics(id).isEmpty());
    }
}
