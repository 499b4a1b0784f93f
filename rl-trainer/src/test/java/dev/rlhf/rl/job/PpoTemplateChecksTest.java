package dev.rlhf.rl.job;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.core.checkpoint.HfCheckpoint;
import dev.rlhf.core.config.ConfigException;
import dev.rlhf.core.jobs.JobSpec;
import dev.rlhf.rl.testing.TinyPpoFiles;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a PPO job's models must bring, refused at submission with the key at fault and no run directory. A
 * {@code @QuarkusTest} because the checks load tokenizers: their natives load once per JVM, in Quarkus' class loader.
 */
@QuarkusTest
class PpoTemplateChecksTest {

    @TempDir
    Path dir;

    private String body() throws Exception {
        Files.writeString(dir.resolve("prompts.jsonl"), "{\"prompt\": \"hi\"}\n");
        return String.join(
                "\n",
                "policy: {path: " + dir.resolve("policy") + ", reward_model: " + dir.resolve("rm") + "}",
                "prompts: {path: " + dir.resolve("prompts.jsonl") + "}",
                "output_dir: " + dir.resolve("runs"));
    }

    private ConfigException refused(String body, String... overrides) {
        PpoJobRunner runner = new PpoJobRunner(List.of(), dir.resolve("gateway.jar"));
        return assertThrows(
                ConfigException.class, () -> runner.prepare(new JobSpec(List.of(), body, List.of(overrides))));
    }

    @Test
    void aPolicyWithoutAChatTemplateIsRefused() throws Exception {
        Path policy = Files.createDirectories(dir.resolve("policy"));
        Files.copy(
                TinyPpoFiles.ROOT.resolve("configs/tokenizer/shakespeare-2k/tokenizer.json"),
                policy.resolve("tokenizer.json"));
        HfCheckpoint.copyTokenizer(TinyPpoFiles.QWEN3_TOKENIZER, Files.createDirectories(dir.resolve("rm")));
        ConfigException e = refused(body());
        assertTrue(e.getMessage().startsWith("policy.path: "), e.getMessage());
        assertTrue(e.getMessage().contains("no chat template"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("runs")), "nothing written");
    }

    @Test
    void aCriticStartedFromARewardModelOfAnotherTokenizerIsRefused() throws Exception {
        HfCheckpoint.copyTokenizer(
                TinyPpoFiles.ROOT.resolve("configs/tokenizer/shakespeare-2k"),
                Files.createDirectories(dir.resolve("policy")));
        HfCheckpoint.copyTokenizer(TinyPpoFiles.QWEN3_TOKENIZER, Files.createDirectories(dir.resolve("rm")));
        ConfigException e = refused(body());
        assertTrue(e.getMessage().startsWith("policy.critic: rm starts the value model"), e.getMessage());
        assertTrue(e.getMessage().contains("set policy.critic: policy"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("runs")), "nothing written");
    }
}
