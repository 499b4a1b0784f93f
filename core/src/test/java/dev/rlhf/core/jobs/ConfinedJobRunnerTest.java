package dev.rlhf.core.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.core.config.ConfigEndpoint;
import dev.rlhf.core.config.ConfigException;
import dev.rlhf.core.config.ConfigPath;
import dev.rlhf.core.ppo.PpoConfig;
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

    private static final EndpointAllowList NO_ENDPOINTS = EndpointAllowList.of(List.of());

    private final JobRunner runner = spec -> {
        prepared.incrementAndGet();
        return job;
    };

    private ConfinedJobRunner confined(ConfigPath... paths) {
        return new ConfinedJobRunner(runner, spec -> List.of(paths), PathRoots.of(List.of(root)), NO_ENDPOINTS);
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
                PathRoots.of(List.of(root)),
                NO_ENDPOINTS);
        JobSpec spec = new JobSpec(List.of("tiny-llama", "/etc/secrets.yaml"), "", List.of());
        ConfigException e = assertThrows(ConfigException.class, () -> confined.prepare(spec));
        assertTrue(
                e.getMessage().startsWith("configs: /etc/secrets.yaml is outside the allowed roots"), e.getMessage());
    }

    private static final String PPO = "policy: {path: sft, reward_model: rm}\nprompts: {path: prompts.jsonl}\n";

    /** A PPO config's endpoints, as the service reads them; only its paths are waved through here. */
    private ConfinedJobRunner ppo(EndpointAllowList allowed) {
        JobPaths real = JobPaths.fromConfig(PpoConfig.loader(), PpoConfig.class, List.of());
        JobPaths endpointsOnly = new JobPaths() {
            @Override
            public List<ConfigPath> named(JobSpec spec) {
                return List.of();
            }

            @Override
            public List<ConfigEndpoint> endpoints(JobSpec spec) {
                return real.endpoints(spec);
            }
        };
        return new ConfinedJobRunner(runner, endpointsOnly, PathRoots.of(List.of(root)), allowed);
    }

    @Test
    void endpointsOffTheAllowListAreRefusedNamingTheKey() {
        JobSpec probe =
                JobSpec.ofBody(PPO + "scoring: {endpoint: '127.0.0.1:9'}\nkafka: {bootstrap: 'kafka:9092,evil:25'}");
        ConfigException e =
                assertThrows(ConfigException.class, () -> ppo(NO_ENDPOINTS).prepare(probe));
        assertEquals(3, e.problems().size(), e.getMessage());
        assertTrue(
                e.problems().get(0).startsWith("scoring.endpoint: 127.0.0.1:9 is not an allowed endpoint"),
                e.getMessage());
        assertTrue(e.problems().get(2).startsWith("kafka.bootstrap[1]: evil:25"), e.getMessage());
        assertEquals(0, prepared.get());

        ConfigException one = assertThrows(
                ConfigException.class,
                () -> ppo(EndpointAllowList.of(List.of("127.0.0.1:9", "KAFKA"))).prepare(probe));
        assertEquals(
                List.of("kafka.bootstrap[1]: evil:25 is not an allowed endpoint (allowed: 127.0.0.1:9, kafka;"
                        + " the service's rlhf.api.endpoint-allow-list lists them)"),
                one.problems());

        assertSame(job, ppo(NO_ENDPOINTS).prepare(JobSpec.ofBody(PPO + "scoring: {endpoint: embedded}")));
        assertSame(
                job,
                ppo(EndpointAllowList.of(List.of("gateway")))
                        .prepare(JobSpec.ofBody(PPO + "scoring: {endpoint: 'gateway:8000'}")));
    }
}
