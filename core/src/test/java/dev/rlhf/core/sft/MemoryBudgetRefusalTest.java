package dev.rlhf.core.sft;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.core.config.ConfigException;
import dev.rlhf.core.jobs.JobSpec;
import dev.rlhf.core.jobs.MemoryBudgetedRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A job refused for its memory leaves no run directory behind; one that already holds a run keeps it. */
class MemoryBudgetRefusalTest {

    @TempDir
    Path dir;

    @Test
    void aRefusedJobLeavesNoEmptyRunDirectoryButNeverDeletesARun() throws Exception {
        String config = SftFixtures.config(dir, 16);
        MemoryBudgetedRunner tight = new MemoryBudgetedRunner(new SftJobRunner(List.of()), 1, "rlhf.api.memory-budget");
        Path runDir = new SftJobRunner(List.of())
                .prepare(new JobSpec(List.of(), config, List.of("exp=budget")))
                .runDir();
        assertTrue(Files.isDirectory(runDir));
        Files.delete(runDir.resolve("checkpoints"));
        Files.delete(runDir.resolve("samples"));
        Files.delete(runDir);

        ConfigException refused = assertThrows(
                ConfigException.class, () -> tight.prepare(new JobSpec(List.of(), config, List.of("exp=budget"))));
        assertTrue(refused.getMessage().contains("memory budget"), refused.getMessage());
        assertFalse(Files.exists(runDir), "no empty run directory is left for a job that never started");

        Files.createDirectories(runDir.resolve("checkpoints"));
        Files.writeString(runDir.resolve("metrics.jsonl"), "{\"step\": 1}\n");
        assertThrows(ConfigException.class, () -> tight.prepare(new JobSpec(List.of(), config, List.of("exp=budget"))));
        assertTrue(Files.isRegularFile(runDir.resolve("metrics.jsonl")), "a run with files in it is never deleted");
    }
}
