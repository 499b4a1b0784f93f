package dev.rlhf.rl.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.rlhf.core.checkpoint.HfCheckpoint;
import dev.rlhf.core.lora.AdapterConfig;
import dev.rlhf.core.lora.LoraModel;
import dev.rlhf.core.lora.PeftAdapter;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.RewardModel;
import dev.rlhf.core.model.TestModels;
import dev.rlhf.rl.config.RlServiceConfig;
import dev.rlhf.rl.learner.LearnerState;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A LoRA GRPO job through the job API, Kafka and the gateway: the policy trains as an adapter on the frozen base, the
 * gateway serves the reward model alone (the workers' reference is their base with the adapters off), every policy
 * version and checkpoint holds the PEFT adapter, which loads back fresh with the same log-probs, and a resumed job
 * continues it.
 */
@QuarkusTest
class PpoLoraJobTest {

    @Inject
    RlServiceConfig rl; // the gateway jar embedded scoring starts

    private static final long[][] IDS = {{5, 17, 230, 4, 99, 12}};

    @Test
    void aLoraGrpoRunLeavesAPeftAdapterThatLoadsBackAndResumes() throws Exception {
        TinyPpoFiles files = TinyPpoFiles.write(Files.createTempDirectory("ppo-lora"));
        String body = files.config(2, 8, "lora: {r: 4, alpha: 8, init: true}", "exp: lora")
                .replace("epochs: 1}", "epochs: 1, lr: 0.01, algorithm: grpo, group_size: 2}");
        String id = JobApi.submit(body);
        JsonPath done = JobApi.awaitEnd(id, Duration.ofMinutes(5));
        assertEquals("succeeded", done.getString("state"), done.prettify());
        Path run = Path.of(done.getString("run_dir"));
        assertTrue(Files.isRegularFile(run.resolve("export/rm/config.pbtxt")));
        assertFalse(Files.exists(run.resolve("export/ref")), "no exported reference: the base is the reference");

        Path policy = run.resolve("checkpoints/last/policy");
        assertTrue(Files.isRegularFile(policy.resolve(AdapterConfig.FILE)));
        assertFalse(Files.exists(policy.resolve(HfCheckpoint.WEIGHTS)), "no copy of the base");
        Path version = run.resolve("policies/v2");
        assertEquals(List.of(AdapterConfig.FILE, PeftAdapter.WEIGHTS), names(version));
        long full = Files.size(files.policy.resolve(HfCheckpoint.WEIGHTS));
        List<Map<String, Object>> metrics = JobApi.metrics(id);
        long synced = ((Number) metrics.get(metrics.size() - 1).get("sync/bytes")).longValue();
        assertEquals(
                Files.size(version.resolve(AdapterConfig.FILE)) + Files.size(version.resolve(PeftAdapter.WEIGHTS)),
                synced);
        assertTrue(synced < full, "an adapter version (" + synced + " B) is smaller than the model (" + full + " B)");

        float[] base = logits(files.policy, null);
        float[] checkpointed = logits(files.policy, policy);
        assertArrayEquals(checkpointed, logits(files.policy, version), "the version the workers got is the checkpoint");
        assertTrue(TestModels.maxAbsDiff(base, checkpointed) > 1e-6, "the adapter trained");

        String longer = body.replace("iterations: 2", "iterations: 3") + "\nresume: force";
        JsonPath resumed = JobApi.awaitEnd(JobApi.submit(longer), Duration.ofMinutes(5));
        assertEquals("succeeded", resumed.getString("state"), resumed.prettify());
        assertEquals(run.toString(), resumed.getString("run_dir"));
        assertEquals(3, LearnerState.read(run.resolve("checkpoints/last")).iteration());
        assertTrue(
                TestModels.maxAbsDiff(checkpointed, logits(files.policy, policy)) > 0,
                "the resumed run trained the adapter on");
    }

    @Test
    void aLoraPpoRunTrainsItsCriticAsAnAdapterOnThePolicysBase() throws Exception {
        TinyPpoFiles files = TinyPpoFiles.write(Files.createTempDirectory("ppo-lora-critic"));
        String body = files.config(2, 8, "lora: {r: 4, alpha: 8}", "exp: lora-critic")
                .replace("reward_model: ", "critic: policy, reward_model: ")
                .replace("epochs: 1}", "epochs: 1, algorithm: ppo}");
        JsonPath done = JobApi.awaitEnd(JobApi.submit(body), Duration.ofMinutes(5));
        assertEquals("succeeded", done.getString("state"), done.prettify());
        Path critic = Path.of(done.getString("run_dir")).resolve("checkpoints/last/critic");
        assertEquals(LoraModel.TaskType.SEQ_CLS, PeftAdapter.readConfig(critic).taskType());
        assertFalse(Files.exists(critic.resolve(HfCheckpoint.WEIGHTS)), "no copy of the base for the critic");
        try (RewardModel fresh = HfCheckpoint.loadRewardModel(files.policy, 0L)) {
            PeftAdapter.load(fresh, critic); // the saved adapter and head fit the policy's base
        }
    }

    /** The base's logits of {@link #IDS}, with the adapter in {@code adapter} loaded fresh when given. */
    private static float[] logits(Path baseDir, Path adapter) {
        try (LanguageModel lm = HfCheckpoint.load(baseDir);
                NDManager m = lm.manager().newSubManager()) {
            if (adapter != null) {
                PeftAdapter.load(lm, adapter);
            }
            var ids = m.create(IDS);
            return lm.logits(ids, ids.onesLike()).toFloatArray();
        }
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
