package dev.rlhf.rl.learner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.core.jobs.JobContext;
import dev.rlhf.core.ppo.PolicyLoader;
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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/**
 * Exactly-once accounting: the learner dies after consuming an iteration's rollouts and before checkpointing; a new
 * learner resumes from checkpoints/last, re-reads the uncommitted rollouts, and in the end the set of (iteration,
 * index) trained on equals the set produced, each once, although the topic holds duplicates; the learner counts each
 * duplicate it drops ({@code rollouts/duplicates}).
 *
 * <p>A {@code @QuarkusTest} although it injects nothing: the PyTorch natives can be loaded by one class loader per
 * JVM, and the other tests of this module load them in Quarkus's.
 */
@QuarkusTest
class LearnerResumeTest {

    @Inject
    RlServiceConfig rl; // the gateway jar embedded scoring starts

    private static final Path ROOT = TinyPpoFiles.ROOT;
    private static final int ITERATIONS = 4;
    private static final int ROLLOUTS = 8;

    private static final JobContext QUIET = JobContext.silent();

    @Test
    void aKilledLearnerResumesWithoutLosingOrRepeatingRollouts() throws Exception {
        // @TempDir does not reach a @QuarkusTest's instance
        TinyPpoFiles files = TinyPpoFiles.write(Files.createTempDirectory("ppo-resume"));
        PpoConfig config = files.bind(files.config(ITERATIONS, ROLLOUTS));
        RunDirectory run = RunDirectory.create(config.run().outputDir(), "ppo", "resume", List.of(), false);
        String job = "resume-test";
        Path gateway = rl.gatewayJar();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
                KafkaClients kafka = KafkaClients.open(broker.connection());
                EmbeddedScoring scoring = EmbeddedScoring.start(config, run.path(), gateway);
                InferenceClient client = new InferenceClient(scoring.endpoint());
                Tokenizer tokenizer = Tokenizer.load(config.policy().path())) {
            try (TopicAdmin admin = new TopicAdmin(kafka)) {
                admin.ensureJobTopics(job, 2, 2);
            }
            V2Scorer scorer = new V2Scorer(client, Optional.of("ref"), Optional.of("rm"));
            RolloutMaker maker = new RolloutMaker(
                    ChatLayout.of(tokenizer),
                    ChatLayout.of(tokenizer),
                    scorer,
                    RolloutRewards.of(config, scorer, tokenizer),
                    config.generation(),
                    16);
            try (LocalWorkers workers = LocalWorkers.start(List.of(new RolloutWorker(
                    "w0",
                    job,
                    kafka,
                    maker,
                    config.rewardSources(),
                    4,
                    1,
                    config.kafka().maxStaleness())))) {
                Learner dying = new Learner(
                        config, job, kafka, run, QUIET, workers, PolicyLoader.fromDisk(config), iteration -> {
                            if (iteration == 2) {
                                throw new IllegalStateException("killed after consuming iteration 2");
                            }
                        });
                assertThrows(IllegalStateException.class, dying::run);
                assertEquals(2, LearnerState.read(run.lastCheckpoint()).iteration());
                new Learner(config, job, kafka, run, QUIET, workers).run();
            }
            LearnerState state = LearnerState.read(run.lastCheckpoint());
            Set<String> expected = new HashSet<>();
            for (int i = 0; i < ITERATIONS; i++) {
                for (int j = 0; j < ROLLOUTS; j++) {
                    expected.add(LearnerState.key(i, j));
                }
            }
            assertEquals(ITERATIONS, state.iteration());
            assertEquals(expected, state.trained());
            List<String> produced = produced(broker.bootstrapServers(), job);
            assertEquals(expected, new HashSet<>(produced), "everything produced was trained");
            assertTrue(
                    produced.size() > expected.size(),
                    "the re-published iteration produced duplicates: " + produced.size());
            double duplicates = run.metrics().read().stream()
                    .mapToDouble(m -> ((Number) m.get("rollouts/duplicates")).doubleValue())
                    .sum();
            assertEquals(
                    produced.size() - expected.size(), duplicates, "every duplicate on the topic counted and dropped");
        }
    }

    /** What the rollouts topic holds, read by a plain kafka-clients consumer: an auditor independent of the code. */
    private static List<String> produced(String bootstrapServers, String job) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "audit");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> keys = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(TopicNames.rollouts(job)));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            int idle = 0;
            while (System.nanoTime() < deadline && idle < 3) {
                var records = consumer.poll(Duration.ofMillis(500));
                idle = records.isEmpty() ? idle + 1 : 0;
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    try {
                        var rollout = dev.rlhf.proto.v1.Rollout.parseFrom(r.value());
                        keys.add(LearnerState.key(rollout.getIteration(), rollout.getIndex()));
                    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                        throw new AssertionError(e);
                    }
                }
            }
        }
        return keys;
    }
}
