package dev.rlhf.rl.ppo;

import dev.rlhf.core.config.ComposedConfig;
import dev.rlhf.core.config.PpoConfig;
import dev.rlhf.core.jobs.JobContext;
import dev.rlhf.core.jobs.PreparedJob;
import dev.rlhf.core.rl.RolloutMaker;
import dev.rlhf.core.rl.V2Scorer;
import dev.rlhf.core.runs.RunDirectory;
import dev.rlhf.core.tokenizer.Tokenizer;
import dev.rlhf.proto.client.ClientOptions;
import dev.rlhf.proto.client.InferenceClient;
import dev.rlhf.rl.kafka.EmbeddedKafkaBroker;
import dev.rlhf.rl.kafka.KafkaConnection;
import dev.rlhf.rl.kafka.TopicAdmin;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One PPO run in this JVM, by role: {@code all} starts what is missing (an in-process Kafka broker for
 * {@code kafka.bootstrap: embedded}, the scoring server for {@code scoring.endpoint: embedded}), the rollout workers
 * and the learner; {@code worker} runs workers until cancelled; {@code learner} runs the learner. Topics are named
 * after the run so that a learner and its workers in other pods meet on them.
 */
final class PpoJob implements PreparedJob {

    private final PpoConfig config;
    private final ComposedConfig composed;
    private final RunDirectory run;
    private final Path gatewayJar;

    PpoJob(PpoConfig config, ComposedConfig composed, RunDirectory run, Path gatewayJar) {
        this.config = config;
        this.composed = composed;
        this.run = run;
        this.gatewayJar = gatewayJar;
    }

    @Override
    public Path runDir() {
        return run.path();
    }

    /** Kafka topics and groups are per job: the run directory's name. */
    String jobId() {
        return run.path().getFileName().toString();
    }

    @Override
    public void run(JobContext context) throws Exception {
        run.writeConfig(config, composed);
        boolean embeddedKafka = config.kafka().bootstrap().equals("embedded");
        try (EmbeddedKafkaBroker broker = embeddedKafka ? EmbeddedKafkaBroker.start() : null;
                EmbeddedScoring scoring =
                        config.scoring().endpoint().equals("embedded") && config.role() != PpoConfig.PpoRole.LEARNER
                                ? EmbeddedScoring.start(config, run.path(), gatewayJar)
                                : null) {
            KafkaConnection kafka = KafkaConnection.of(
                    embeddedKafka ? broker.bootstrapServers() : config.kafka().bootstrap());
            try (TopicAdmin admin = new TopicAdmin(kafka)) {
                admin.ensureJobTopics(
                        jobId(), config.kafka().partitions(), config.kafka().partitions());
            }
            String endpoint =
                    scoring != null ? scoring.endpoint() : config.scoring().endpoint();
            switch (config.role()) {
                case ALL -> withWorkers(kafka, endpoint, context, () -> learner(kafka, context));
                case WORKER -> withWorkers(kafka, endpoint, context, () -> awaitCancel(context));
                case LEARNER -> learner(kafka, context);
            }
        }
    }

    private void learner(KafkaConnection kafka, JobContext context) throws Exception {
        new Learner(config, jobId(), kafka, run, context).run();
    }

    private interface Body {
        void run() throws Exception;
    }

    /** Runs {@code body} while {@code kafka.workers} rollout workers run on their own threads. */
    private void withWorkers(KafkaConnection kafka, String endpoint, JobContext context, Body body) throws Exception {
        ClientOptions options = ClientOptions.defaults()
                .withDeadline(Duration.ofMillis(config.scoring().deadlineMs()))
                .withMaxAttempts(config.scoring().attempts());
        List<RolloutWorker> workers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        try (InferenceClient client = new InferenceClient(endpoint, options);
                Tokenizer tokenizer = Tokenizer.load(config.policy().path())) {
            V2Scorer scorer = new V2Scorer(
                    client, config.scoring().referenceModel(), config.scoring().rewardModel());
            RolloutMaker maker = new RolloutMaker(
                    tokenizer, scorer, config.generation(), config.prompts().maxPromptTokens());
            for (int i = 0; i < config.kafka().workers(); i++) {
                RolloutWorker worker = new RolloutWorker(
                        "worker-" + i, jobId(), kafka, maker, config.ppo().minibatchSize(), config.seed() + i);
                Thread thread = new Thread(worker, "rollout-worker-" + i);
                thread.setDaemon(true);
                thread.start();
                workers.add(worker);
                threads.add(thread);
            }
            body.run();
        } finally {
            workers.forEach(RolloutWorker::stop);
            for (Thread thread : threads) {
                thread.join(Duration.ofMinutes(1).toMillis());
            }
        }
        for (RolloutWorker worker : workers) {
            if (worker.failure().isPresent() && !context.cancelled()) {
                throw new IllegalStateException(
                        "rollout worker failed: " + worker.failure().get().getMessage(),
                        worker.failure().get());
            }
        }
    }

    private static void awaitCancel(JobContext context) throws InterruptedException {
        while (!context.cancelled()) {
            Thread.sleep(500);
        }
    }
}
