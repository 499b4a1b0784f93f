package dev.rlhf.rl.job;

import dev.rlhf.core.config.ComposedConfig;
import dev.rlhf.core.jobs.JobContext;
import dev.rlhf.core.jobs.PreparedJob;
import dev.rlhf.core.model.LlamaConfig;
import dev.rlhf.core.ppo.PpoConfig;
import dev.rlhf.core.ppo.PpoMemory;
import dev.rlhf.core.reward.RewardSources;
import dev.rlhf.core.rollout.RolloutMaker;
import dev.rlhf.core.rollout.RolloutRewards;
import dev.rlhf.core.rollout.Scorer;
import dev.rlhf.core.runs.RunDirectory;
import dev.rlhf.core.tokenizer.ChatLayout;
import dev.rlhf.core.tokenizer.Tokenizer;
import dev.rlhf.core.train.MemoryEstimate;
import dev.rlhf.proto.client.ClientOptions;
import dev.rlhf.proto.client.InferenceClient;
import dev.rlhf.rl.kafka.EmbeddedKafkaBroker;
import dev.rlhf.rl.kafka.KafkaClients;
import dev.rlhf.rl.kafka.KafkaConnection;
import dev.rlhf.rl.kafka.PolicyVersions;
import dev.rlhf.rl.kafka.TopicAdmin;
import dev.rlhf.rl.kafka.UnknownJobException;
import dev.rlhf.rl.learner.Learner;
import dev.rlhf.rl.worker.AdapterPolicy;
import dev.rlhf.rl.worker.LocalWorkers;
import dev.rlhf.rl.worker.RolloutWorker;
import dev.rlhf.rl.worker.V2Scorer;
import dev.rlhf.rl.worker.WorkerPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One PPO run in this JVM, by role: {@code all} starts what is missing (an in-process Kafka broker for
 * {@code kafka.bootstrap: embedded}, the scoring server for {@code scoring.endpoint: embedded}), the rollout workers
 * and the learner; {@code worker} runs workers until the learner announces the job's end (or the worker job is
 * cancelled); {@code learner} runs the learner. Topics are named after the run so that a learner and its workers in
 * other pods meet on them; the learner creates them, a worker refuses a job whose topics do not appear within {@code
 * kafka.connect_timeout_s} or whose learner has already ended.
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
    public Optional<MemoryEstimate> memoryEstimate() {
        LlamaConfig policy = LlamaConfig.read(config.policy().path().resolve("config.json"));
        Optional<LlamaConfig> critic = Optional.empty();
        if (config.ppo().algorithm().usesCritic()) {
            Path start = config.policy().critic() == PpoConfig.CriticStart.RM
                    ? config.policy().rewardModel().orElseThrow()
                    : config.policy().path();
            critic = Optional.of(LlamaConfig.read(start.resolve("config.json")));
        }
        return Optional.of(PpoMemory.estimate(config, policy, critic));
    }

    @Override
    public MemoryEstimate.Advice memoryAdvice() {
        return PpoMemory.ADVICE;
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
                KafkaClients kafka = KafkaClients.open(KafkaConnection.of(
                                embeddedKafka
                                        ? broker.bootstrapServers()
                                        : config.kafka().bootstrap())
                        .withSessionTimeout(Duration.ofSeconds(config.kafka().sessionTimeoutS())))) {
            joinOrCreateTopics(kafka); // before scoring starts: a worker of a job that is not there stops at once
            try (EmbeddedScoring scoring =
                    config.scoring().endpoint().equals("embedded") && config.role() != PpoConfig.PpoRole.LEARNER
                            ? EmbeddedScoring.start(config, run.path(), gatewayJar)
                            : null) {
                String endpoint =
                        scoring != null ? scoring.endpoint() : config.scoring().endpoint();
                try (PolicyWeights weights = PolicyWeights.of(config)) {
                    switch (config.role()) {
                        case ALL ->
                            withWorkers(
                                    kafka,
                                    endpoint,
                                    weights,
                                    workers -> new Learner(
                                                    config, jobId(), kafka, run, context, workers, weights.forLearner())
                                            .run());
                        case WORKER ->
                            withWorkers(kafka, endpoint, weights, workers -> serveUntilEnded(workers, context));
                        case LEARNER ->
                            new Learner(config, jobId(), kafka, run, context, LocalWorkers.none(), weights.forLearner())
                                    .run();
                    }
                }
            }
        }
    }

    /**
     * The broker must answer within {@code kafka.connect_timeout_s}. A learner creates the job's topics; a worker
     * waits for them as long, and refuses a job whose learner has announced its end.
     */
    private void joinOrCreateTopics(KafkaClients kafka) {
        Duration timeout = Duration.ofSeconds(config.kafka().connectTimeoutS());
        try (TopicAdmin admin = new TopicAdmin(kafka)) {
            admin.awaitBroker(timeout);
            if (config.role() != PpoConfig.PpoRole.WORKER) {
                admin.ensureJobTopics(
                        jobId(), config.kafka().partitions(), config.kafka().partitions());
                return;
            }
            admin.awaitJob(jobId(), timeout);
        }
        try (PolicyVersions.Listener versions = PolicyVersions.listener(kafka, jobId(), timeout)) {
            if (versions.ended().isPresent()) {
                throw UnknownJobException.ended(jobId(), versions.ended().get().name());
            }
        }
    }

    private interface Body {
        void run(LocalWorkers workers) throws Exception;
    }

    /** Runs {@code body} while {@code kafka.workers} rollout workers run on their own threads. */
    private void withWorkers(KafkaClients kafka, String endpoint, PolicyWeights weights, Body body) throws Exception {
        ClientOptions options = ClientOptions.defaults()
                .withDeadline(Duration.ofMillis(config.scoring().deadlineMs()))
                .withMaxAttempts(config.scoring().attempts())
                .withToken(System.getenv("GATEWAY_TOKEN")); // what a token-protected gateway expects
        try (InferenceClient client = new InferenceClient(endpoint, options);
                Tokenizer tokenizer = Tokenizer.load(config.policy().path());
                // the reward model reads rollouts in its own chat layout (the policy's, for a rule-reward job)
                Tokenizer rewardModelTokenizer = Tokenizer.load(
                        config.policy().rewardModel().orElse(config.policy().path()))) {
            ChatLayout policyLayout = ChatLayout.of(tokenizer);
            ChatLayout rewardModelLayout = ChatLayout.of(rewardModelTokenizer);
            RewardSources sources = config.rewardSources();
            V2Scorer scorer = new V2Scorer(
                    client,
                    config.referenceIsAdapterOff()
                            ? Optional.empty()
                            : Optional.of(config.scoring().referenceModel()),
                    sources.usesRewardModel() ? Optional.of(config.scoring().rewardModel()) : Optional.empty());
            List<RolloutWorker> workers = new ArrayList<>();
            try (RolloutRewards rewards = RolloutRewards.of(config, scorer, tokenizer)) {
                for (int i = 0; i < config.kafka().workers(); i++) {
                    workers.add(worker(i, kafka, policyLayout, rewardModelLayout, scorer, rewards, sources, weights));
                }
                try (LocalWorkers local = LocalWorkers.start(workers)) {
                    body.run(local);
                }
            }
        }
    }

    /**
     * Worker {@code i}. A LoRA policy's worker holds the base once and takes each version's adapter; with embedded
     * scoring its reference log-probs come from that base with the adapters off, not from an exported copy.
     */
    private RolloutWorker worker(
            int i,
            KafkaClients kafka,
            ChatLayout policyLayout,
            ChatLayout rewardModelLayout,
            V2Scorer scorer,
            RolloutRewards rewards,
            RewardSources sources,
            PolicyWeights weights) {
        WorkerPolicy policy = weights.forWorker();
        Scorer workerScorer = policy instanceof AdapterPolicy adapter && config.referenceIsAdapterOff()
                ? adapter.withReference(scorer)
                : scorer;
        RolloutMaker maker = new RolloutMaker(
                policyLayout,
                rewardModelLayout,
                workerScorer,
                rewards,
                config.generation(),
                config.prompts().maxPromptTokens());
        return new RolloutWorker(
                workerId(i),
                jobId(),
                kafka,
                maker,
                policy,
                sources,
                config.ppo().minibatchSize(),
                config.seed() + i,
                config.kafka().maxStaleness());
    }

    /**
     * {@code worker-0@host:4242}: worker {@code i} of this process, told apart from the workers of other processes on
     * the rollouts it publishes ({@code worker_id}) and in the logs. {@code HOSTNAME} is the pod's name in Kubernetes.
     */
    private static String workerId(int i) {
        String host = System.getenv().getOrDefault("HOSTNAME", "localhost");
        return "worker-" + i + "@" + host + ":" + ProcessHandle.current().pid();
    }

    /**
     * A worker pod: its workers run until the learner announces the job's end (they finish their batch and commit, and
     * the job succeeds: exit 0), this job is cancelled, or one of them fails.
     */
    private static void serveUntilEnded(LocalWorkers workers, JobContext context) throws InterruptedException {
        while (!context.cancelled() && !workers.allEnded()) {
            workers.checkAlive();
            Thread.sleep(200);
        }
    }
}
