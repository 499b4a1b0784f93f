package dev.rlhf.rl.learner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.core.jobs.JobContext;
import dev.rlhf.core.ppo.PpoConfig;
import dev.rlhf.core.rollout.RolloutMaker;
import dev.rlhf.core.rollout.RolloutRewards;
import dev.rlhf.core.runs.RunDirectory;
import dev.rlhf.core.tokenizer.ChatLayout;
import dev.rlhf.core.tokenizer.Tokenizer;
import dev.rlhf.proto.client.InferenceClient;
import dev.rlhf.rl.config.RlServiceConfig;
import dev.rlhf.rl.job.EmbeddedScoring;
import dev.rlhf.rl.kafka.EmbeddedKafkaBroker;
import dev.rlhf.rl.kafka.KafkaClients;
import dev.rlhf.rl.kafka.TopicAdmin;
import dev.rlhf.rl.kafka.TopicNames;
import dev.rlhf.rl.testing.TinyPpoFiles;
import dev.rlhf.rl.worker.LocalWorkers;
import dev.rlhf.rl.worker.RolloutWorker;
import dev.rlhf.rl.worker.V2Scorer;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * {@code ppo.overlap}: the next iteration's prompts go out before the learner trains, so its rollouts come from the
 * policy one version behind, and every iteration still trains on all its prompts once. Without it, every rollout is
 * from the current version.
 */
@QuarkusTest
class OverlapTest {

    @Inject
    RlServiceConfig rl; // the gateway jar embedded scoring starts

    private static final int ITERATIONS = 4;
    private static final int ROLLOUTS = 8;
    private static final JobContext QUIET = JobContext.silent();

    @Test
    void overlappedRolloutsAreOneVersionBehindAndEveryPromptIsTrainedOnce() throws Exception {
        TinyPpoFiles files = TinyPpoFiles.write(Files.createTempDirectory("ppo-overlap"));
        PpoConfig sync = files.bind(files.config(ITERATIONS, ROLLOUTS, "exp: sync"));
        PpoConfig overlap = files.bind(files.config(ITERATIONS, ROLLOUTS, "exp: overlap"), "ppo.overlap=true");
        Path gateway = rl.gatewayJar();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
                KafkaClients kafka = KafkaClients.open(broker.connection());
                EmbeddedScoring scoring =
                        EmbeddedScoring.start(sync, Files.createDirectories(files.dir.resolve("scoring")), gateway);
                InferenceClient client = new InferenceClient(scoring.endpoint());
                Tokenizer tokenizer = Tokenizer.load(sync.policy().path())) {
            V2Scorer scorer = new V2Scorer(client, Optional.of("ref"), Optional.of("rm"));
            RolloutMaker maker = new RolloutMaker(
                    ChatLayout.of(tokenizer),
                    ChatLayout.of(tokenizer),
                    scorer,
                    RolloutRewards.of(sync, scorer, tokenizer),
                    sync.generation(),
                    16);

            List<Map<String, Object>> syncMetrics = train(sync, "sync", kafka, broker.bootstrapServers(), maker);
            List<Map<String, Object>> overlapMetrics =
                    train(overlap, "overlap", kafka, broker.bootstrapServers(), maker);

            assertEquals(ITERATIONS, syncMetrics.size());
            assertTrue(
                    syncMetrics.stream().allMatch(m -> number(m, "rollouts/staleness") == 0), "sync: " + syncMetrics);
            assertEquals(ITERATIONS, overlapMetrics.size());
            assertEquals(0, number(overlapMetrics.get(0), "rollouts/staleness"), "the first iteration waits");
            Stream.concat(syncMetrics.stream(), overlapMetrics.stream())
                    .forEach(m -> assertEquals(0, number(m, "rollouts/stale"), "no rollout too old to train on: " + m));
            List<Double> later = overlapMetrics.subList(1, ITERATIONS).stream()
                    .map(m -> number(m, "rollouts/staleness"))
                    .toList();
            // Each later iteration's first batch is generated while the learner trains (one version behind); a worker
            // may pick up the new version before its second batch, so only the bounds and some overlap are certain.
            assertTrue(later.stream().allMatch(s -> s >= 0 && s <= 1), "never more than one version: " + later);
            assertTrue(
                    later.stream().mapToDouble(Double::doubleValue).sum() > 0, "generated during training: " + later);
            // an iteration that trained on stale rollouts corrected for them (tis_cap 2), and logged how much
            List<Map<String, Object>> corrected = overlapMetrics.stream()
                    .filter(m -> number(m, "rollouts/staleness") > 0)
                    .toList();
            assertTrue(!corrected.isEmpty(), "some iteration trained on stale rollouts: " + overlapMetrics);
            for (Map<String, Object> m : corrected) {
                double mean = number(m, "sampling/importance_sampling_ratio/mean");
                double max = number(m, "sampling/importance_sampling_ratio/max");
                assertTrue(mean > 0 && mean <= 2 && max <= 2, "weights truncated at the cap: " + m);
                assertTrue(number(m, "sampling/stale_rollouts") >= 1, "stale rollouts counted: " + m);
            }
            assertTrue(
                    syncMetrics.stream().noneMatch(m -> m.containsKey("sampling/importance_sampling_ratio/mean")),
                    "no correction on policy: " + syncMetrics);
        }
    }

    /**
     * Runs a learner with one worker on {@code job}'s topics, with a record on the rollouts topic that is no rollout;
     * returns its metrics lines once the worker has stopped on the learner's end announcement.
     */
    private static List<Map<String, Object>> train(
            PpoConfig config, String job, KafkaClients kafka, String bootstrap, RolloutMaker maker) throws Exception {
        RunDirectory run = RunDirectory.create(
                config.run().outputDir(), "ppo", config.run().exp(), List.of(), false);
        try (TopicAdmin admin = new TopicAdmin(kafka)) {
            admin.ensureJobTopics(job, 2, 2);
        }
        writeGarbage(bootstrap, TopicNames.rollouts(job));
        try (LocalWorkers workers = LocalWorkers.start(List.of(new RolloutWorker(
                "w-" + job,
                job,
                kafka,
                maker,
                config.rewardSources(),
                4,
                1,
                config.kafka().maxStaleness())))) {
            new Learner(config, job, kafka, run, QUIET, workers).run();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!workers.allEnded() && System.nanoTime() < deadline) {
                workers.checkAlive();
                Thread.sleep(50);
            }
            assertTrue(workers.allEnded(), "the worker stops when the learner announces the job's end");
        }
        List<Map<String, Object>> metrics = run.metrics().read();
        assertEquals(
                1,
                metrics.stream().mapToDouble(m -> number(m, "rollouts/corrupt")).sum(),
                "the record that is no rollout is skipped and counted once: " + metrics);
        assertTrue(
                metrics.stream()
                        .allMatch(m -> number(m, "kafka/lag/prompts/0") >= 0 && m.containsKey("kafka/lag/rollouts/1")),
                "consumer lag per partition: " + metrics.get(0));
        assertTrue(
                metrics.stream()
                        .allMatch(m -> number(m, "time/update") > 0
                                && number(m, "time/checkpoint") > 0
                                && number(m, "time/update") + number(m, "time/checkpoint") <= number(m, "time/train")),
                "the update and the checkpoint, parts of time/train: " + metrics.get(0));
        assertEquals(
                ITERATIONS, LearnerState.read(run.lastCheckpoint()).trained().size() / ROLLOUTS);
        assertTrue(
                LearnerState.read(run.bestCheckpoint()).iteration() >= 1, "checkpoints/best holds a trained iteration");
        return metrics;
    }

    /** Bytes that are no protobuf message, written by a plain producer as a misconfigured client would. */
    private static void writeGarbage(String bootstrap, String topic) {
        Map<String, Object> settings = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(settings, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, new byte[] {(byte) 0xff, (byte) 0xff, 1}));
        }
    }

    private static double number(Map<String, Object> metrics, String key) {
        return ((Number) metrics.get(key)).doubleValue();
    }
}
