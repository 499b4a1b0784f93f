package dev.rlhf.rl.ppo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.core.config.PpoConfig;
import dev.rlhf.core.jobs.JobContext;
import dev.rlhf.core.rl.RolloutMaker;
import dev.rlhf.core.rl.V2Scorer;
import dev.rlhf.core.runs.RunDirectory;
import dev.rlhf.core.tokenizer.Tokenizer;
import dev.rlhf.proto.client.InferenceClient;
import dev.rlhf.rl.kafka.EmbeddedKafkaBroker;
import dev.rlhf.rl.kafka.KafkaConnection;
import dev.rlhf.rl.kafka.TopicAdmin;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code ppo.overlap}: the next iteration's prompts go out before the learner trains, so its rollouts come from the
 * policy one version behind, and every iteration still trains on all its prompts once. Without it, every rollout is
 * from the current version.
 */
@QuarkusTest
class OverlapTest {

    private static final int ITERATIONS = 4;
    private static final int ROLLOUTS = 8;
    private static final JobContext QUIET = JobContext.silent();

    @Test
    void overlappedRolloutsAreOneVersionBehindAndEveryPromptIsTrainedOnce() throws Exception {
        TinyPpoFiles files = TinyPpoFiles.write(Files.createTempDirectory("ppo-overlap"));
        PpoConfig sync = files.bind(files.config(ITERATIONS, ROLLOUTS, "exp: sync"));
        PpoConfig overlap = files.bind(files.config(ITERATIONS, ROLLOUTS, "exp: overlap"), "ppo.overlap=true");
        Path gateway = TinyPpoFiles.ROOT.resolve("inference-gateway/target/quarkus-app/quarkus-run.jar");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
                EmbeddedScoring scoring =
                        EmbeddedScoring.start(sync, Files.createDirectories(files.dir.resolve("scoring")), gateway);
                InferenceClient client = new InferenceClient(scoring.endpoint());
                Tokenizer tokenizer = Tokenizer.load(sync.policy().path())) {
            KafkaConnection kafka = KafkaConnection.of(broker.bootstrapServers());
            RolloutMaker maker = new RolloutMaker(tokenizer, new V2Scorer(client, "ref", "rm"), sync.generation(), 16);

            List<JsonNode> syncMetrics = train(sync, "sync", kafka, maker);
            List<JsonNode> overlapMetrics = train(overlap, "overlap", kafka, maker);

            assertEquals(ITERATIONS, syncMetrics.size());
            assertTrue(syncMetrics.stream().allMatch(m -> m.get("staleness").asDouble() == 0), "sync: " + syncMetrics);
            assertEquals(ITERATIONS, overlapMetrics.size());
            assertEquals(0, overlapMetrics.get(0).get("staleness").asDouble(), "the first iteration waits");
            for (JsonNode m : concat(syncMetrics, overlapMetrics)) {
                assertEquals(0, m.get("stale_rollouts").asLong(), "no rollout too old to train on: " + m);
            }
            List<Double> later = overlapMetrics.subList(1, ITERATIONS).stream()
                    .map(m -> m.get("staleness").asDouble())
                    .toList();
            // Each later iteration's first batch is generated while the learner trains (one version behind); a worker
            // may pick up the new version before its second batch, so only the bounds and some overlap are certain.
            assertTrue(later.stream().allMatch(s -> s >= 0 && s <= 1), "never more than one version: " + later);
            assertTrue(
                    later.stream().mapToDouble(Double::doubleValue).sum() > 0, "generated during training: " + later);
        }
    }

    /** Runs a learner with one worker on {@code job}'s topics; returns its metrics lines. */
    private static List<JsonNode> train(PpoConfig config, String job, KafkaConnection kafka, RolloutMaker maker)
            throws Exception {
        RunDirectory run = RunDirectory.create(config.outputDir(), "ppo", config.exp(), List.of(), false);
        try (TopicAdmin admin = new TopicAdmin(kafka)) {
            admin.ensureJobTopics(job, 2, 2);
        }
        try (LocalWorkers workers =
                LocalWorkers.start(List.of(new RolloutWorker("w-" + job, job, kafka, maker, 4, 1)))) {
            new Learner(config, job, kafka, run, QUIET, workers).run();
        }
        assertEquals(
                ITERATIONS, LearnerState.read(run.lastCheckpoint()).trained().size() / ROLLOUTS);
        return metrics(run.path().resolve("metrics.jsonl"));
    }

    private static List<JsonNode> concat(List<JsonNode> a, List<JsonNode> b) {
        List<JsonNode> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static List<JsonNode> metrics(Path file) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            out.add(json.readTree(line));
        }
        return out;
    }
}
