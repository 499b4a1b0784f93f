package dev.rlhf.rl.job;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.core.checkpoint.HfCheckpoint;
import dev.rlhf.core.config.ConfigWriter;
import dev.rlhf.core.jobs.JobSpec;
import dev.rlhf.core.ppo.PpoConfig;
import dev.rlhf.core.ppo.PpoTrainer;
import dev.rlhf.core.runs.RunConflictException;
import dev.rlhf.rl.testing.TinyPpoFiles;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A PPO job that would continue a checkpoint trained under another config is refused (409 / exit 2), as SFT and RM
 * jobs are: its checkpoint's {@code ppo_state.json} carries the config it was trained under.
 * A {@code @QuarkusTest} because submission loads the models' tokenizers (their chat templates are checked): their
 * natives load once per JVM, in Quarkus' class loader.
 */
@QuarkusTest
class PpoResumeGuardTest {

    @TempDir
    Path dir;

    @Test
    void aChangedTrainingKeyIsRefusedUnlessForcedAndTransportKeysMayChange() throws Exception {
        // a tokenizer with its chat template in each model directory: the runner checks those at submission
        Path tokenizer = TinyPpoFiles.ROOT.resolve("configs/tokenizer/shakespeare-2k");
        HfCheckpoint.copyTokenizer(tokenizer, Files.createDirectories(dir.resolve("sft")));
        HfCheckpoint.copyTokenizer(tokenizer, Files.createDirectories(dir.resolve("rm")));
        Files.writeString(dir.resolve("prompts.jsonl"), "{\"prompt\": \"hi\"}\n");
        String body = String.join(
                "\n",
                "policy: {path: " + dir.resolve("sft") + ", reward_model: " + dir.resolve("rm") + "}",
                "prompts: {path: " + dir.resolve("prompts.jsonl") + "}",
                "output_dir: " + dir.resolve("runs"),
                "exp: guarded");
        PpoJobRunner runner = new PpoJobRunner(List.of(), dir.resolve("gateway.jar"));
        Path last = runner.prepare(JobSpec.ofBody(body)).runDir().resolve("checkpoints/last");
        Files.createDirectories(last);
        PpoConfig trained = PpoConfig.loader()
                .compose(List.of(), List.of(), body, "body", List.of())
                .bind(PpoConfig.class);
        ObjectMapper json = new ObjectMapper();
        json.writeValue(
                last.resolve(PpoTrainer.STATE_FILE).toFile(),
                Map.of("kl_coef", 0.05, "config", ConfigWriter.toTree(trained)));

        RunConflictException changed = assertThrows(
                RunConflictException.class, () -> runner.prepare(new JobSpec(List.of(), body, List.of("ppo.lr=5e-4"))));
        assertTrue(changed.getMessage().contains("ppo.lr"), changed.getMessage());
        assertDoesNotThrow(() -> runner.prepare(new JobSpec(List.of(), body, List.of("kafka.partitions=8"))));
        assertDoesNotThrow(() -> runner.prepare(new JobSpec(List.of(), body, List.of("ppo.lr=5e-4", "resume=force"))));
    }
}
