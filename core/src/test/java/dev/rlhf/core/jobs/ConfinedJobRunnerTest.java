package dev.rlhf.core.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.core.config.ConfigException;
import dev.rlhf.core.config.ConfigPath;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfinedJobRunnerTest {

    @TempDir
    Path root;

    private final AtomicInteger prepared = new AtomicInteger();

    private final PreparedJob job = new PreparedJob() {
        @Override
        public Path runDir() {
            return root.resolve("run");
        }

        @Override
        public void run(JobContext context) {}
    };

    private final JobRunner runner = spec -> {
        prepared.incrementAndGet();
        return job;
    };

    private ConfinedJobRunner confined(ConfigPath... paths) {
        return new ConfinedJobRunner(runner, spec -> List.of(paths), PathRoots.of(List.of(root)));
    }

    @Test
    void pathsInsideTheRootsReachTheRunner() {
        ConfinedJobRunner confined =
                confined(new ConfigPath("model.init", root.resolve("tiny.json")), new ConfigPath("output_dir", root));
        assertSame(job, confined.prepare(JobSpec.ofBody("")));
        assertEquals(1, prepared.get());
    }

    @Test
    void everyPathOutsideIsReportedAndTheRunnerNeverRuns() {
        ConfinedJobRunner confined = confined(
                new ConfigPath("model.init", root.resolve("tiny.json")),
                new ConfigPath("data.datasets[1].path", Path.of("/etc/passwd")),
                new ConfigPath("output_dir", root.resolve("../../elsewhere")));
        ConfigException e = assertThrows(ConfigException.class, () -> confined.prepare(JobSpec.ofBody("")));
        assertEquals(2, e.problems().size(), e.getMessage());
        assertTrue(e.problems().get(0).startsWith("data.datasets[1].path: /etc/passwd is outside"), e.getMessage());
        assertTrue(e.problems().get(1).startsWith("output_dir: "), e.getMessage());
        assertEquals(0, prepared.get(), "no run directory is made for a refused job");
    }

    @Test
    void aConfigFileNamedByPathIsCheckedBeforeItIsRead() {
        ConfinedJobRunner confined = new ConfinedJobRunner(
                runner,
                spec -> {
                    throw new AssertionError("composed a config from a file outside the roots");
                },
                PathRoots.of(List.of(root)));
        JobSpec spec = new JobSpec(List.of("tiny-llama", "/etc/secrets.yaml"), "", List.of());
        ConfigException e = assertThrows(ConfigException.class, () -> confined.prepare(spec));
        assertTrue(
                e.getMessage().startsWith("configs: /etc/secrets.yaml is outside the allowed roots"), e.getMessage());
    }
}
