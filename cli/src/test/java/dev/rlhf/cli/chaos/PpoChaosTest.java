package dev.rlhf.cli.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.cli.RlhfCli;
import dev.rlhf.cli.testing.ChildJvm;
import dev.rlhf.core.checkpoint.HfCheckpoint;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.LlamaConfig;
import dev.rlhf.core.model.RewardModel;
import dev.rlhf.core.ppo.PpoConfig;
import dev.rlhf.core.runs.RunDirectory;
import dev.rlhf.rl.job.EmbeddedScoring;
import dev.rlhf.rl.kafka.EmbeddedKafkaBroker;
import dev.rlhf.rl.learner.LearnerState;
import dev.rlhf.rl.net.FreePort;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PPO fleet under faults (issue 14). A small GRPO job runs as it is deployed: a Kafka broker (KRaft, in this JVM,
 * on a fixed port and log directory so that it can be stopped and started again), the inference gateway serving the
 * reward and reference models over KServe v2 gRPC (a child JVM), the learner ({@code ./rlhf ppo --set role=learner})
 * and two rollout workers ({@code --set role=worker}), each in a JVM of its own. At chosen points:
 *
 * <ol>
 *   <li>a worker is killed ({@code kill -9}) while it holds prompts it has not answered; the other worker answers them
 *       once the group presumes it dead ({@code kafka.session_timeout_s}), and the killed one is started again;
 *   <li>the learner is killed in the middle of an iteration and started again: it resumes from its checkpoint and
 *       publishes that iteration's prompts again, so the topic gets duplicates;
 *   <li>the broker is stopped and started again on its log directory and port: every client reconnects;
 *   <li>the gateway is killed: the learner fails naming the scoring endpoint; the gateway and the learner started
 *       again, the job resumes.
 * </ol>
 *
 * Then the audit of the rollouts topic (read from the beginning by a plain consumer) and of the learner's checkpoint
 * and metrics: every (iteration, index) is answered (no prompt lost) and trained at most once, every one not trained
 * was dropped with its group and counted, every duplicate the learner read is counted and dropped, and the final
 * policy loads. A table of the faults and the rollouts' fate is printed and written to {@code target/ppo-chaos.md}.
 */
class PpoChaosTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path GATEWAY_JAR = ROOT.resolve("inference-gateway/target/quarkus-app/quarkus-run.jar");
    private static final int ITERATIONS = 10;
    private static final int ROLLOUTS = 8;
    private static final int GROUP = 2;
    private static final String JOB = "chaos"; // the run directory's name: exp, no config names
    private static final Duration STEP = Duration.ofMinutes(2); // the longest wait for one stage of the scenario
    private static final Pattern ANSWERING = Pattern.compile("answering prompts \\[([0-9:, ]+)]");
    private static final Pattern ITERATION = Pattern.compile("\"iteration\":(\\d+)");

    private final long began = System.nanoTime();
    private final List<Fault> faults = new ArrayList<>();
    private Path dir;
    private Path run;
    private Path jobFile;

    /** One injected fault: what, at which iteration, seconds until the job trained an iteration again, what it showed. */
    private record Fault(String what, long iteration, double recoverySeconds, String note) {}

    @Test
    void everyPromptIsTrainedOnceThroughKilledWorkersLearnerBrokerAndGateway(@TempDir Path tmp) throws Exception {
        dir = tmp;
        int kafkaPort = FreePort.loopback();
        int gatewayPort = FreePort.loopback();
        String endpoint = "127.0.0.1:" + gatewayPort;
        String config = writeJob(kafkaPort, endpoint);
        PpoConfig ppo = PpoConfig.loader()
                .compose(List.of(), List.of(), config, "chaos", List.of())
                .bind(PpoConfig.class);
        Path logDir = dir.resolve("kafka");
        Path scoringDir = Files.createDirectories(dir.resolve("scoring"));
        Map<String, String> brokerSettings = Map.of();
        run = dir.resolve("runs/ppo/" + JOB);

        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(logDir, kafkaPort, brokerSettings);
        EmbeddedScoring scoring = EmbeddedScoring.start(ppo, scoringDir, GATEWAY_JAR, gatewayPort);
        List<ChildJvm> processes = new ArrayList<>();
        try {
            ChildJvm learner = start(processes, "learner", "role=learner");
            ChildJvm workerA = start(processes, "worker-a", "role=worker");
            ChildJvm workerB = start(processes, "worker-b", "role=worker");
            log("broker, gateway, learner and two workers started");

            // 1. kill -9 a worker holding prompts it has not answered
            awaitTrained(1, learner);
            String taken = workerA.awaitLine(workerA.lines().size(), ANSWERING.asPredicate(), STEP);
            workerA.kill();
            long killedAt = System.nanoTime();
            log("killed worker-a holding " + taken.substring(taken.indexOf('[')));
            Set<String> held = keys(taken);
            long heldIteration = Long.parseLong(held.iterator().next().split(":")[0]);
            awaitTrained(heldIteration + 1, learner);
            log("recovered");
            faults.add(new Fault(
                    "kill -9 a worker holding " + held.size() + " unanswered prompts",
                    heldIteration,
                    seconds(killedAt),
                    "answered by the other worker after the session timeout"));
            ChildJvm workerA2 = start(processes, "worker-a2", "role=worker");

            // 2. kill -9 the learner in the middle of an iteration, start it again
            long next = trained() + 1;
            awaitTrained(next, learner);
            awaitAnswering(next, workerA2, workerB);
            learner.kill();
            killedAt = System.nanoTime();
            log("killed the learner collecting iteration " + next);
            learner = start(processes, "learner-2", "role=learner");
            awaitTrained(next + 1, learner);
            log("recovered");
            faults.add(new Fault(
                    "kill -9 the learner while it collects",
                    next,
                    seconds(killedAt),
                    "resumed from checkpoints/last, the iteration's prompts published again"));

            // 3. stop the broker and start it again on its log directory and port
            next = trained() + 1;
            awaitTrained(next, learner);
            long stoppedAt = System.nanoTime();
            broker.close();
            broker = EmbeddedKafkaBroker.start(logDir, kafkaPort, brokerSettings);
            log("broker stopped and started again at iteration " + next);
            awaitTrained(next + 1, learner);
            log("recovered");
            faults.add(new Fault(
                    "broker stopped and started on its log dir and port",
                    next,
                    seconds(stoppedAt),
                    "every client reconnected"));

            // 4. kill the gateway: the learner fails naming the endpoint; both back, the job resumes
            next = trained() + 1;
            awaitTrained(next, learner);
            scoring.kill();
            killedAt = System.nanoTime();
            log("killed the gateway at iteration " + next);
            int failedWith = learner.awaitExit(STEP);
            assertNotEquals(0, failedWith, learner.tail());
            assertTrue(
                    learner.lines().stream().anyMatch(l -> l.contains("scoring endpoint '" + endpoint + "'")),
                    "the learner's failure names the endpoint:\n" + learner.tail());
            long failedAt = trained();
            log("the learner failed at iteration " + failedAt + "; starting the gateway and the learner again");
            scoring = EmbeddedScoring.start(ppo, scoringDir, GATEWAY_JAR, gatewayPort);
            learner = start(processes, "learner-3", "role=learner");
            awaitTrained(failedAt + 1, learner);
            log("recovered");
            faults.add(new Fault(
                    "gateway killed, learner failed, both started again",
                    next,
                    seconds(killedAt),
                    "the learner's error named " + endpoint));

            assertEquals(0, learner.awaitExit(STEP), learner.tail());
            assertEquals(0, workerA2.awaitExit(STEP), workerA2.tail());
            assertEquals(0, workerB.awaitExit(STEP), workerB.tail());

            audit(RolloutAudit.read(broker.bootstrapServers(), JOB), held, workerA);
        } finally {
            for (ChildJvm process : processes) {
                process.close();
            }
            scoring.close();
            broker.close();
            keepLogs();
        }
    }

    /** The processes' logs, the gateway's and the learner's metrics, kept in {@code target/ppo-chaos-logs/}. */
    private void keepLogs() throws Exception {
        Path kept = Files.createDirectories(Path.of("target", "ppo-chaos-logs"));
        try (var old = Files.list(kept)) {
            for (Path f : old.toList()) {
                Files.delete(f); // an earlier run's
            }
        }
        List<Path> logs = new ArrayList<>();
        try (var files = Files.list(dir)) {
            files.filter(f -> f.toString().endsWith(".log")).forEach(logs::add);
        }
        logs.add(dir.resolve("scoring/gateway.log"));
        logs.add(run.resolve("metrics.jsonl"));
        for (Path log : logs) {
            if (Files.exists(log)) {
                Files.copy(log, kept.resolve(log.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** The assertions of the issue, then the table. */
    private void audit(RolloutAudit topic, Set<String> held, ChildJvm killedWorker) throws Exception {
        LearnerState state = LearnerState.read(run.resolve("checkpoints/last"));
        List<Map<String, Object>> metrics = RunDirectory.open(run).metrics().read();
        assertEquals(ITERATIONS, state.iteration());
        assertEquals(ITERATIONS, metrics.size(), "one metrics line per iteration, however often the learner started");
        Set<String> all = new HashSet<>();
        for (int i = 0; i < ITERATIONS; i++) {
            for (int j = 0; j < ROLLOUTS; j++) {
                all.add(i + ":" + j);
            }
        }
        assertEquals(all, topic.answered(), "no prompt lost: every (iteration, index) answered on the topic");

        long trained = sum(metrics, "rollouts/trained");
        long droppedGroups = sum(metrics, "rollouts/dropped_groups");
        long duplicates = sum(metrics, "rollouts/duplicates");
        assertEquals(trained, state.trained().size(), "no (iteration, index) trained twice");
        assertTrue(all.containsAll(state.trained()), state.trained().toString());
        assertEquals(
                all.size(),
                trained + droppedGroups * GROUP,
                "every prompt trained, or dropped with its group and counted");

        String killed = ":" + killedWorker.pid();
        Set<String> unpublished = new HashSet<>(held);
        unpublished.removeAll(topic.scoredBy(w -> w.endsWith(killed), held));
        assertTrue(!unpublished.isEmpty(), "the killed worker died before publishing what it held: " + held);
        assertEquals(
                unpublished,
                topic.scoredBy(w -> !w.endsWith(killed), unpublished),
                "another worker answered what the killed one held");

        assertTrue(topic.repeated() > 0, "the faults put prompts on the topic twice");
        long atLeast = topic.duplicatesAfterFirstScored(state.trained()::contains);
        long atMost = topic.duplicatesAfterFirstScored(key -> true);
        assertTrue(
                atLeast <= duplicates && duplicates <= atMost,
                "every duplicate the learner read is counted: " + duplicates + " counted, " + atLeast + " of trained "
                        + "prompts on the topic, " + atMost + " in all");

        try (LanguageModel policy = HfCheckpoint.load(run.resolve("checkpoints/last/policy"))) {
            assertEquals(2000, policy.config().vocabSize(), "the final policy loads");
        }
        table(topic, trained, droppedGroups, duplicates);
    }

    private void table(RolloutAudit topic, long trained, long droppedGroups, long duplicates) throws Exception {
        StringBuilder out = new StringBuilder("| fault | at iteration | s to the next trained iteration | seen |\n")
                .append("|---|---|---|---|\n");
        for (Fault f : faults) {
            out.append(String.format(
                    java.util.Locale.ROOT,
                    "| %s | %d | %.1f | %s |%n",
                    f.what(),
                    f.iteration(),
                    f.recoverySeconds(),
                    f.note()));
        }
        out.append(String.format(
                java.util.Locale.ROOT,
                "%n| rollouts | count |%n|---|---|%n| prompts (%d iterations x %d) | %d |%n| records on the topic | %d |%n"
                        + "| of them failed (gateway down) | %d |%n| answers beyond a prompt's first | %d |%n"
                        + "| duplicates counted and dropped by the learner | %d |%n| trained | %d |%n"
                        + "| dropped with an incomplete group (counted) | %d |%n%nwhole scenario: %.0f s%n",
                ITERATIONS,
                ROLLOUTS,
                ITERATIONS * ROLLOUTS,
                topic.produced(),
                topic.failed(),
                topic.repeated(),
                duplicates,
                trained,
                droppedGroups * GROUP,
                seconds(began)));
        System.out.println(out);
        Files.writeString(Path.of("target", "ppo-chaos.md"), out);
    }

    /** Tiny random policy and reward model with the shipped 2k tokenizer, 32 prompts, and the job's config file. */
    private String writeJob(int kafkaPort, String endpoint) throws Exception {
        Path tokenizer = ROOT.resolve("configs/tokenizer/shakespeare-2k");
        var json = LlamaConfig.readTree(ROOT.resolve("configs/model/tiny.json"));
        json.put("vocab_size", 2000);
        LlamaConfig shape = LlamaConfig.parse(json, ROOT.resolve("configs/model/tiny.json"));
        try (LanguageModel lm = LanguageModel.create(shape, 1)) {
            HfCheckpoint.save(lm, dir.resolve("policy"), tokenizer);
        }
        try (RewardModel rm = RewardModel.withNewHead(LanguageModel.create(shape, 2), 3)) {
            HfCheckpoint.saveRewardModel(rm, dir.resolve("rm"), tokenizer, 1);
        }
        List<String> prompts = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            prompts.add("{\"prompt\": \"question number " + i + "?\"}");
        }
        Files.write(dir.resolve("prompts.jsonl"), prompts);
        String config = String.join(
                "\n",
                "policy: {path: " + dir.resolve("policy") + ", reward_model: " + dir.resolve("rm") + "}",
                "prompts: {path: " + dir.resolve("prompts.jsonl") + "}",
                "generation: {max_new_tokens: 8}",
                "ppo: {iterations: " + ITERATIONS + ", rollouts: " + ROLLOUTS + ", minibatch_size: 4, epochs: 1,",
                "      algorithm: grpo, group_size: " + GROUP + ", group_timeout_s: 90}",
                "kafka: {bootstrap: '127.0.0.1:" + kafkaPort + "', partitions: 4, workers: 1, session_timeout_s: 6,",
                "        connect_timeout_s: 60}",
                "scoring: {endpoint: '" + endpoint + "', deadline_ms: 2000, attempts: 2}",
                "output_dir: " + dir.resolve("runs"),
                "exp: " + JOB);
        jobFile = Files.writeString(dir.resolve("chaos.yaml"), config);
        Files.writeString(
                dir.resolve("logging.properties"),
                String.join(
                        "\n",
                        "handlers=java.util.logging.ConsoleHandler",
                        "java.util.logging.ConsoleHandler.level=FINE",
                        "java.util.logging.SimpleFormatter.format=%4$s %3$s: %5$s%6$s%n",
                        ".level=INFO",
                        "dev.rlhf.rl.worker.RolloutWorker.level=FINE"));
        return config;
    }

    /** {@code ./rlhf ppo} of the job in a JVM of its own, with one more {@code --set}. */
    private ChildJvm start(List<ChildJvm> processes, String name, String set) {
        ChildJvm process = ChildJvm.start(
                name,
                dir.resolve(name + ".log"),
                List.of(
                        "-Dai.djl.pytorch.num_threads=1",
                        "-Dai.djl.pytorch.num_interop_threads=1",
                        "-Djava.util.logging.config.file=" + dir.resolve("logging.properties")),
                RlhfCli.class,
                List.of("ppo", "--config-dir", "../configs/ppo", "--config-file", jobFile.toString(), "--set", set));
        processes.add(process);
        return process;
    }

    /** Iterations the learner has trained and checkpointed (its metrics' last {@code iteration}). */
    private long trained() throws Exception {
        Path metrics = run.resolve("metrics.jsonl");
        long done = 0;
        if (Files.exists(metrics)) {
            Matcher m = ITERATION.matcher(Files.readString(metrics));
            while (m.find()) {
                done = Math.max(done, Long.parseLong(m.group(1)));
            }
        }
        return done;
    }

    private void awaitTrained(long iterations, ChildJvm learner) throws Exception {
        long deadline = System.nanoTime() + STEP.toNanos();
        while (trained() < iterations) {
            if (!learner.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError(
                        "iteration " + iterations + " was not trained; the learner:\n" + learner.tail());
            }
            Thread.sleep(50);
        }
    }

    /** Waits until a worker takes a prompt of {@code iteration}: the learner has published it and is collecting. */
    private static void awaitAnswering(long iteration, ChildJvm... workers) throws Exception {
        long deadline = System.nanoTime() + STEP.toNanos();
        while (System.nanoTime() < deadline) {
            for (ChildJvm worker : workers) {
                if (worker.lines().stream().anyMatch(l -> l.contains("answering prompts [" + iteration + ":"))) {
                    return;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no worker took a prompt of iteration " + iteration);
    }

    private static Set<String> keys(String line) {
        Matcher m = ANSWERING.matcher(line);
        assertTrue(m.find(), line);
        Set<String> keys = new HashSet<>();
        for (String key : m.group(1).split(",")) {
            keys.add(key.strip());
        }
        return keys;
    }

    private static long sum(List<Map<String, Object>> metrics, String key) {
        return metrics.stream()
                .mapToLong(m -> ((Number) m.get(key)).longValue())
                .sum();
    }

    private void log(String event) throws Exception {
        System.out.printf(java.util.Locale.ROOT, "chaos %6.1f s, %d trained: %s%n", seconds(began), trained(), event);
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
