package dev.rlhf.rl.ppo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.core.checkpoint.HfCheckpoint;
import dev.rlhf.core.config.PpoConfig;
import dev.rlhf.core.jobs.JobContext;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.LlamaConfig;
import dev.rlhf.core.model.RewardModel;
import dev.rlhf.core.rl.RolloutMaker;
import dev.rlhf.core.rl.V2Scorer;
import dev.rlhf.core.runs.RunDirectory;
import dev.rlhf.core.tokenizer.Tokenizer;
import dev.rlhf.proto.client.InferenceClient;
import dev.rlhf.rl.kafka.EmbeddedKafkaBroker;
import dev.rlhf.rl.kafka.KafkaConnection;
import dev.rlhf.rl.kafka.TopicAdmin;
import dev.rlhf.rl.kafka.TopicNames;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
 * index) trained on equals the set produced, each once, although the topic holds duplicates.
 *
 * <p>A {@code @QuarkusTest} although it injects nothing: the PyTorch natives can be loaded by one class loader per
 * JVM, and the other tests of this module load them in Quarkus's.
 */
@QuarkusTest
class LearnerResumeTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final int ITERATIONS = 4;
    private static final int ROLLOUTS = 8;

    private Path dir;

    private static final JobContext QUIET = new JobContext() {
        @Override
        public void report(long step, long totalSteps, Map<String, Object> metrics) {}

        @Override
        public boolean cancelled() {
            return false;
        }
    };

    @Test
    void aKilledLearnerResumesWithoutLosingOrRepeatingRollouts() throws Exception {
        dir = Files.createTempDirectory("ppo-resume"); // @TempDir does not reach a @QuarkusTest's instance
        PpoConfig config = config();
        RunDirectory run = RunDirectory.create(config.outputDir(), "ppo", "resume", List.of(), false);
        String job = "resume-test";
        Path gateway = ROOT.resolve("inference-gateway/target/quarkus-app/quarkus-run.jar");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
                EmbeddedScoring scoring = EmbeddedScoring.start(config, run.path(), gateway);
                InferenceClient client = new InferenceClient(scoring.endpoint());
                Tokenizer tokenizer = Tokenizer.load(config.policy().path())) {
            KafkaConnection kafka = KafkaConnection.of(broker.bootstrapServers());
            try (TopicAdmin admin = new TopicAdmin(kafka)) {
                admin.ensureJobTopics(job, 2, 2);
            }
            RolloutMaker maker =
                    new RolloutMaker(tokenizer, new V2Scorer(client, "ref", "rm"), config.generation(), 16);
            RolloutWorker worker = new RolloutWorker("w0", job, kafka, maker, 4, 1);
            Thread thread = new Thread(worker);
            thread.start();
            try {
                Learner dying = new Learner(config, job, kafka, run, QUIET, iteration -> {
                    if (iteration == 2) {
                        throw new IllegalStateException("killed after consuming iteration 2");
                    }
                });
                assertThrows(IllegalStateException.class, dying::run);
                assertEquals(2, LearnerState.read(run.lastCheckpoint()).iteration());
                new Learner(config, job, kafka, run, QUIET).run();
            } finally {
                worker.stop();
                thread.join(60_000);
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
            List<String> produced = produced(kafka, job);
            assertEquals(expected, new HashSet<>(produced), "everything produced was trained");
            assertTrue(
                    produced.size() > expected.size(),
                    "the re-published iteration produced duplicates: " + produced.size());
        }
    }

    private static List<String> produced(KafkaConnection kafka, String job) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
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

    private PpoConfig config() throws Exception {
        var json = LlamaConfig.readTree(ROOT.resolve("configs/model/tiny.json"));
        json.put("vocab_size", 2000);
        LlamaConfig model = LlamaConfig.parse(json, ROOT.resolve("configs/model/tiny.json"));
        Path tokenizer = ROOT.resolve("configs/tokenizer/shakespeare-2k");
        Path policy = dir.resolve("policy");
        Path rm = dir.resolve("rm");
        try (LanguageModel lm = LanguageModel.create(model, 1)) {
            HfCheckpoint.save(lm, policy, tokenizer);
        }
        try (RewardModel reward = RewardModel.withNewHead(LanguageModel.create(model, 2), 3)) {
            HfCheckpoint.saveRewardModel(reward, rm, tokenizer, 1);
        }
        List<String> prompts = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            prompts.add("{\"prompt\": \"question number " + i + "?\"}");
        }
        Files.write(dir.resolve("prompts.jsonl"), prompts);
        String body = String.join(
                "\n",
                "policy: {path: " + policy + ", reward_model: " + rm + "}",
                "prompts: {path: " + dir.resolve("prompts.jsonl") + "}",
                "generation: {max_new_tokens: 3}",
                "ppo: {iterations: " + ITERATIONS + ", rollouts: " + ROLLOUTS + ", minibatch_size: 4, epochs: 1}",
                "output_dir: " + dir.resolve("runs"));
        return PpoConfig.loader()
                .compose(List.of(), List.of(), body, "test", List.of())
                .bind(PpoConfig.class);
    }
}
