package dev.rlhf.rl.job;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.core.config.ConfigException;
import dev.rlhf.core.jobs.JobSpec;
import dev.rlhf.core.jobs.MemoryBudgetedRunner;
import dev.rlhf.rl.testing.TinyPpoFiles;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A PPO job too big for the service's memory budget is refused before it is queued, naming the keys that size it. A
 * {@code @QuarkusTest} because it creates DJL models: the engine's natives load once per JVM, in Quarkus' class loader.
 */
@QuarkusTest
class PpoMemoryBudgetTest {

    @TempDir
    Path dir;

    @Test
    void aPpoJobOverTheBudgetIsABadRequestNamingItsKeys() throws Exception {
        TinyPpoFiles files = TinyPpoFiles.write(dir);
        MemoryBudgetedRunner budgeted = new MemoryBudgetedRunner(
                new PpoJobRunner(List.of(), dir.resolve("gateway.jar")), 2L << 30, "rlhf.api.memory-budget");
        assertDoesNotThrow(() -> budgeted.prepare(JobSpec.ofBody(files.config(2, 8, "exp: fits"))));
        ConfigException refused = assertThrows(
                ConfigException.class,
                () -> budgeted.prepare(new JobSpec(
                        List.of(),
                        files.config(2, 4096, "exp: huge"),
                        List.of("ppo.minibatch_size=4096", "generation.max_new_tokens=2048"))));
        assertTrue(refused.getMessage().startsWith("ppo.minibatch_size, ppo.rollouts"), refused.getMessage());
        assertTrue(refused.getMessage().contains("rlhf.api.memory-budget"), refused.getMessage());
    }
}
