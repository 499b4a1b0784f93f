package dev.rlhf.rl.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.rlhf.core.checkpoint.HfCheckpoint;
import dev.rlhf.core.lora.PeftAdapter;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.TestModels;
import dev.rlhf.rl.config.RlServiceConfig;
import dev.rlhf.rl.testing.TinyPpoFiles;
import dev.rlhf.service.jobs.testing.JobApi;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A whole-model GRPO job through the job API that starts from an SFT LoRA adapter ({@code policy.adapter}): the
 * workers' first policy version is the base with the adapter folded in, and so is the reference the embedded gateway
 * serves, so the first iteration's KL to the reference is zero. Had either side loaded the base alone, the policy
 * and the reference would differ by the whole SFT adapter.
 */
@QuarkusTest
class PpoFromSftAdapterJobTest {

    @Inject
    RlServiceConfig rl; // the gateway jar embedded scoring starts

    private static final long[][] IDS = {{5, 17, 230, 4, 99, 12}};

    @Test
    void theFirstPolicyAndTheReferenceAreTheSftModel() throws Exception {
        TinyPpoFiles files = TinyPpoFiles.write(Files.createTempDirectory("ppo-from-sft"));
        Path sft = files.writeSftAdapter();
        String body = files.config(1, 8, "exp: from-sft")
                .replace("policy: {path: " + files.policy, "policy: {adapter: " + sft + ", path: " + files.policy)
                .replace("epochs: 1}", "epochs: 1, algorithm: grpo, group_size: 2}");
        String id = JobApi.submit(body);
        JsonPath done = JobApi.awaitEnd(id, Duration.ofMinutes(5));
        assertEquals("succeeded", done.getString("state"), done.prettify());
        Path run = Path.of(done.getString("run_dir"));

        float[] sftLogits;
        float[] baseLogits;
        try (LanguageModel expected = HfCheckpoint.load(files.policy)) {
            baseLogits = logits(expected);
            PeftAdapter.load(expected, sft);
            sftLogits = logits(expected);
        }
        try (LanguageModel v0 = HfCheckpoint.load(run.resolve("policies/v0"))) {
            assertArrayEquals(sftLogits, logits(v0), 1e-4f, "version 0 is the base with the SFT adapter folded in");
        }
        assertTrue(TestModels.maxAbsDiff(baseLogits, sftLogits) > 1e-2, "the SFT adapter changes the model");

        List<Map<String, Object>> metrics = JobApi.metrics(id);
        double kl = ((Number) metrics.stream()
                        .filter(m -> m.containsKey("objective/kl"))
                        .findFirst()
                        .orElseThrow()
                        .get("objective/kl"))
                .doubleValue();
        assertTrue(Math.abs(kl) < 1e-3, "policy and reference are both the SFT model, KL " + kl);
    }

    @Test
    void anAdapterDirectoryWithoutAnAdapterIsRefusedNamingTheKey() throws Exception {
        TinyPpoFiles files = TinyPpoFiles.write(Files.createTempDirectory("ppo-from-sft"));
        String body = files.config(1, 8)
                .replace(
                        "policy: {path: " + files.policy, "policy: {adapter: " + files.dir + ", path: " + files.policy);
        String message = JobApi.refused(body);
        assertTrue(message.contains("policy.adapter: no adapter_config.json in "), message);
    }

    private static float[] logits(LanguageModel lm) {
        try (NDManager m = lm.manager().newSubManager()) {
            NDArray ids = m.create(IDS);
            return lm.logits(ids, ids.onesLike()).toFloatArray();
        }
    }
}
