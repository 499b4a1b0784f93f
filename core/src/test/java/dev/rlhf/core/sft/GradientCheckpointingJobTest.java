package dev.rlhf.core.sft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.core.config.ConfigException;
import dev.rlhf.core.jobs.JobContext;
import dev.rlhf.core.jobs.JobSpec;
import dev.rlhf.core.jobs.PreparedJob;
import dev.rlhf.core.runs.MetricsLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train.gradient_checkpointing} through a whole SFT job: the same run with it on and off logs the same training
 * losses step by step (full fine-tuning and LoRA), and a LoRA adapter with dropout is refused naming the key.
 */
class GradientCheckpointingJobTest {

    @TempDir
    Path dir;

    private final SftJobRunner runner = new SftJobRunner(List.of());

    @Test
    void fullFineTuningLogsTheSameLossesWithCheckpointing() throws Exception {
        String config = SftFixtures.config(dir, 48);
        assertEquals(losses(config, "plain"), losses(config, "checkpointed", "train.gradient_checkpointing=true"));
    }

    @Test
    void loraLogsTheSameLossesWithCheckpointing() throws Exception {
        String config = SftFixtures.loraConfig(dir, 48, "{r: 4, alpha: 8}");
        assertEquals(losses(config, "plain"), losses(config, "checkpointed", "train.gradient_checkpointing=true"));
    }

    @Test
    void loraDropoutIsRefusedNamingTheKey() throws Exception {
        String config = SftFixtures.loraConfig(dir, 48, "{r: 4, alpha: 8, dropout: 0.05}");
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> runner.prepare(
                        new JobSpec(List.of(), config, List.of("exp=dropout", "train.gradient_checkpointing=true"))));
        assertTrue(e.getMessage().startsWith("train.gradient_checkpointing: needs LoRA dropout 0"), e.getMessage());
        assertTrue(Files.notExists(dir.resolve("runs")) || isEmpty(dir.resolve("runs")), "nothing written");
    }

    /** The training loss of each logged step, rounded to 5 significant digits. */
    private List<String> losses(String config, String exp, String... overrides) throws Exception {
        List<String> all = new java.util.ArrayList<>(List.of("exp=" + exp, "train.max_steps=4", "train.log_every=1"));
        all.addAll(List.of(overrides));
        PreparedJob job = runner.prepare(new JobSpec(List.of(), config, all));
        job.run(JobContext.silent());
        List<String> out = new MetricsLog(job.runDir().resolve("metrics.jsonl"))
                .read().stream()
                        .filter(m -> m.containsKey("loss") && !m.containsKey("eval_loss"))
                        .map(m -> String.format(java.util.Locale.ROOT, "%.5g", ((Number) m.get("loss")).doubleValue()))
                        .toList();
        assertEquals(4, out.size(), "one loss per step: " + out);
        return out;
    }

    private static boolean isEmpty(Path dir) throws Exception {
        try (var files = Files.list(dir)) {
            return files.findAny().isEmpty();
        }
    }
}
