package dev.rlhf.rl.learner;

import dev.rlhf.core.checkpoint.AtomicDirectory;
import dev.rlhf.core.jobs.JobContext;
import dev.rlhf.core.ppo.PolicyLoader;
import dev.rlhf.core.ppo.PpoConfig;
import dev.rlhf.core.ppo.PpoStats;
import dev.rlhf.core.ppo.PpoTrainer;
import dev.rlhf.core.reward.RewardSources;
import dev.rlhf.core.rollout.Prompt;
import dev.rlhf.core.rollout.PromptPool;
import dev.rlhf.core.rollout.Rollout;
import dev.rlhf.core.runs.RunDirectory;
import dev.rlhf.core.runs.SampleLog;
import dev.rlhf.core.tokenizer.Tokenizer;
import dev.rlhf.proto.v1.JobEnd;
import dev.rlhf.proto.v1.PolicyVersion;
import dev.rlhf.proto.v1.PromptRecord;
import dev.rlhf.rl.kafka.KafkaClients;
import dev.rlhf.rl.kafka.PolicyVersions;
import dev.rlhf.rl.kafka.PromptQueue;
import dev.rlhf.rl.kafka.RolloutLog;
import dev.rlhf.rl.kafka.RolloutOffsets;
import dev.rlhf.rl.kafka.TopicAdmin;
import dev.rlhf.rl.kafka.TopicNames;
import dev.rlhf.rl.worker.LocalWorkers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.logging.Logger;

/**
 * The PPO learner: each iteration it publishes the iteration's prompts, collects one rollout per prompt from the
 * rollouts topic (dropping duplicates and stale versions), trains on them ({@link PpoTrainer}), checkpoints, and only then
 * commits the consumed offsets and announces the new policy version. Killed between consuming and checkpointing, it
 * resumes from {@code checkpoints/last} and re-reads the uncommitted rollouts: none is lost or trained twice.
 *
 * <p>With {@code ppo.overlap} the next iteration's prompts go out as soon as this iteration's rollouts are in, so the
 * workers generate with version v while the learner trains version v+1 (rollouts one version stale).
 *
 * <p>When the last iteration is trained, or the job is cancelled, the learner announces the job's end on the
 * policy-versions topic, and the workers (in this JVM or others) finish their batch, commit and exit. A learner that
 * fails announces nothing: its workers wait for the job to be resumed.
 */
public final class Learner {

    private static final Logger LOG = Logger.getLogger(Learner.class.getName());

    private static final int SAMPLES_PER_ITERATION = 4;

    private final PpoConfig config;
    private final String jobId;
    private final KafkaClients kafka;
    private final RunDirectory run;
    private final JobContext context;
    private final PromptPool prompts;
    private final LocalWorkers workers;
    private final PolicyLoader loadPolicy;
    private final LongConsumer afterCollect;

    public Learner(
            PpoConfig config,
            String jobId,
            KafkaClients kafka,
            RunDirectory run,
            JobContext context,
            LocalWorkers workers) {
        this(config, jobId, kafka, run, context, workers, PolicyLoader.fromDisk(config));
    }

    /** @param loadPolicy where the policy's weights come from (a view of a base the JVM shares) */
    public Learner(
            PpoConfig config,
            String jobId,
            KafkaClients kafka,
            RunDirectory run,
            JobContext context,
            LocalWorkers workers,
            PolicyLoader loadPolicy) {
        this(config, jobId, kafka, run, context, workers, loadPolicy, iteration -> {});
    }

    /**
     * @param workers the rollout workers in this JVM, watched while waiting for rollouts ({@link LocalWorkers#none()}
     *     when they run elsewhere)
     * @param afterCollect called with the iteration once its rollouts are consumed, before training (tests)
     */
    public Learner(
            PpoConfig config,
            String jobId,
            KafkaClients kafka,
            RunDirectory run,
            JobContext context,
            LocalWorkers workers,
            PolicyLoader loadPolicy,
            LongConsumer afterCollect) {
        this.workers = workers;
        this.loadPolicy = loadPolicy;
        this.afterCollect = afterCollect;
        this.config = config;
        this.jobId = jobId;
        this.kafka = kafka;
        this.run = run;
        this.context = context;
        this.prompts = PromptPool.read(config.prompts().path(), config.prompts().size());
    }

    public void run() throws Exception {
        Path last = run.lastCheckpoint();
        boolean resume = Files.isRegularFile(last.resolve(LearnerState.FILE));
        LearnerState state = resume ? LearnerState.read(last) : LearnerState.start();
        run.metrics().truncateAfter(state.iteration());
        try (PpoTrainer ppo =
                        resume ? PpoTrainer.resume(config, last, loadPolicy) : PpoTrainer.start(config, loadPolicy);
                PromptQueue.Publisher promptOut = PromptQueue.publisher(kafka, jobId);
                RolloutLog.Reader rollouts =
                        RolloutLog.reader(kafka, jobId, config.ppo().rollouts(), Duration.ofMinutes(10));
                PolicyVersions.Publisher versions = PolicyVersions.publisher(kafka, jobId);
                TopicAdmin admin = new TopicAdmin(kafka);
                Tokenizer tokenizer = Tokenizer.load(config.policy().path())) {
            if (state.version() == 0 && !startsFromPolicyPath()) {
                ppo.savePolicy(policyDir(0)); // a fresh adapter (workers hold the base), or the SFT adapter folded in
            }
            announce(versions, state.version(), JobEnd.JOB_END_UNSPECIFIED);
            boolean published = false; // this iteration's prompts went out during the last one (ppo.overlap)
            while (state.iteration() < config.ppo().iterations() && !context.cancelled()) {
                long start = System.nanoTime();
                if (!published) {
                    publishPrompts(promptOut, state.iteration(), state.version());
                }
                IterationRollouts.Batch collected = collect(rollouts, state);
                if (collected == null) {
                    break; // cancelled between consuming and checkpointing: nothing saved, nothing committed
                }
                afterCollect.accept(state.iteration());
                long collectedAt = System.nanoTime();
                published = config.ppo().overlap()
                        && state.iteration() + 1 < config.ppo().iterations();
                if (published) {
                    publishPrompts(
                            promptOut, state.iteration() + 1, state.version()); // answered while this version trains
                }
                long updateStart = System.nanoTime();
                PpoStats stats = ppo.train(collected.rollouts(), config.seed() + state.iteration(), state.version());
                double updateSeconds = (System.nanoTime() - updateStart) / 1e9;
                LearnerState next = state.next(stats.scoreMean(), collected.keys());
                long syncStart = System.nanoTime();
                ppo.savePolicy(policyDir(next.version()));
                Sync sync = new Sync(bytes(policyDir(next.version())), (System.nanoTime() - syncStart) / 1e9);
                long checkpointStart = System.nanoTime();
                save(ppo, last, next);
                if (stats.scoreMean() >= state.bestReward()) {
                    AtomicDirectory.copy(
                            last, run.bestCheckpoint()); // the state just saved, linked: not serialised again
                }
                Phases phases = new Phases(updateSeconds, (System.nanoTime() - checkpointStart) / 1e9);
                rollouts.commit(RolloutOffsets.after(collected.consumed()));
                announce(versions, next.version(), JobEnd.JOB_END_UNSPECIFIED);
                forgetOldPolicies(next.version());
                report(next, stats, collected, start, collectedAt, phases, sync, lag(admin));
                writeSamples(next.iteration(), collected.rollouts(), tokenizer);
                state = next;
            }
            JobEnd end =
                    state.iteration() >= config.ppo().iterations() ? JobEnd.JOB_END_FINISHED : JobEnd.JOB_END_CANCELLED;
            announce(versions, state.version(), end);
            LOG.info("job " + jobId + " ended (" + end + ") at policy version " + state.version());
        }
    }

    /** A checkpoint (written atomically): the trainer's models, optimizers and KL state, then where the learner is. */
    private static void save(PpoTrainer ppo, Path dir, LearnerState state) {
        AtomicDirectory.write(dir, tmp -> {
            ppo.save(tmp);
            state.write(tmp);
        });
    }

    /**
     * The iteration's prompts, to be answered by policy {@code version} or newer: {@code rollouts / group_size}
     * prompts, each published {@code group_size} times in a row.
     */
    private void publishPrompts(PromptQueue.Publisher out, long iteration, long version) {
        int groupSize = config.ppo().groupSize();
        List<Prompt> group = new ArrayList<>();
        for (Prompt prompt :
                prompts.forIteration(config.seed(), iteration, config.ppo().rollouts() / groupSize)) {
            for (int j = 0; j < groupSize; j++) {
                group.add(prompt); // a prompt's group: indices g*G .. g*G + G-1, sampled independently
            }
        }
        List<PromptRecord> records = new ArrayList<>();
        for (int i = 0; i < group.size(); i++) {
            PromptRecord.Builder record = PromptRecord.newBuilder()
                    .setJobId(jobId)
                    .setIteration(iteration)
                    .setIndex(i)
                    .setPrompt(group.get(i).text())
                    .setMinPolicyVersion(version);
            group.get(i).answer().ifPresent(record::setAnswer);
            records.add(record.build());
        }
        out.publish(records);
    }

    /**
     * Reads the rollouts topic until every rollout of the iteration has arrived or failed, or {@code
     * ppo.group_timeout_s} has passed; then keeps the complete groups (a group with a failed or missing member is
     * dropped and counted). Fails only when no group is complete; returns null when the job is cancelled meanwhile.
     */
    private IterationRollouts.Batch collect(RolloutLog.Reader reader, LearnerState state) {
        IterationRollouts read = new IterationRollouts(
                state, config.kafka().maxStaleness(), config.ppo().rollouts(), reader::beforeStart);
        long deadline = System.nanoTime()
                + Duration.ofSeconds(config.ppo().groupTimeoutS()).toNanos();
        while (!read.answered() && System.nanoTime() < deadline) {
            if (context.cancelled()) {
                return null;
            }
            workers.checkAlive();
            read.add(reader.poll(Duration.ofMillis(200)));
        }
        int groupSize = config.ppo().groupSize();
        IterationRollouts.Batch batch = read.batch(groupSize);
        read.firstFailure()
                .ifPresent(reason -> LOG.warning("iteration " + state.iteration() + ": " + read.failed()
                        + " rollouts failed their rewards (" + reason + "); their groups are dropped"));
        if (batch.rollouts().isEmpty()) {
            throw new IllegalStateException("iteration " + state.iteration() + ": no complete group of "
                    + groupSize + " rollouts within " + config.ppo().groupTimeoutS() + " s (" + read.kept()
                    + " of " + config.ppo().rollouts() + " rollouts arrived, " + read.failed() + " failed"
                    + read.firstFailure().map(f -> ": " + f).orElse("")
                    + "); are rollout workers running and is the scoring endpoint '"
                    + config.scoring().endpoint() + "' up?");
        }
        return batch;
    }

    /** Seconds of the learner's own part of an iteration: the PPO update, and writing checkpoints/last (and best). */
    private record Phases(double update, double checkpoint) {}

    /** One policy version as sent to the workers: its files' bytes and the seconds it took to write them. */
    private record Sync(long bytes, double seconds) {}

    private static long bytes(Path dir) throws java.io.IOException {
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(p -> p.toFile().length())
                    .sum();
        }
    }

    /** Whether version 0 is {@code policy.path} as it is on disk (a whole-model policy without an SFT adapter). */
    private boolean startsFromPolicyPath() {
        return config.lora().isEmpty() && config.policy().adapter().isEmpty();
    }

    private Path policyDir(long version) {
        return run.path().resolve("policies").resolve("v" + version);
    }

    private void announce(PolicyVersions.Publisher versions, long version, JobEnd end) {
        Path path = version == 0 && startsFromPolicyPath() ? config.policy().path() : policyDir(version);
        versions.announce(PolicyVersion.newBuilder()
                .setJobId(jobId)
                .setVersion(version)
                .setCheckpointPath(path.toAbsolutePath().toString())
                .setCreatedAtMs(System.currentTimeMillis())
                .setJobEnd(end)
                .build());
    }

    /** Workers may still load versions within the staleness window; older ones go. */
    private void forgetOldPolicies(long version) throws java.io.IOException {
        long oldest = version - config.kafka().maxStaleness() - 2;
        if (oldest >= 1) {
            Path old = policyDir(oldest);
            if (Files.isDirectory(old)) {
                try (var files = Files.walk(old)) {
                    files.sorted(java.util.Comparator.reverseOrder())
                            .forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    /** A few of the iteration's rollouts as text ({@code samples/step-N.txt}), for the dashboard and the curious. */
    private void writeSamples(long iteration, List<Rollout> rollouts, Tokenizer tokenizer) {
        RewardSources rewards = config.rewardSources();
        List<SampleLog.Sample> samples = rollouts.stream()
                .limit(SAMPLES_PER_ITERATION)
                .map(r -> new SampleLog.Sample(
                        tokenizer.decode(r.promptIds(), true).strip(),
                        tokenizer.decode(r.responseIds(), true).strip()
                                + String.format(
                                        java.util.Locale.ROOT, "  [reward %.3f]", rewards.rawTotal(r.rewards()))))
                .toList();
        run.samples().write(iteration, samples);
    }

    /** {@code rewards/<source>}: each reward source's raw reward, mean over the trained rollouts (TRL's names). */
    private Map<String, Object> rewardMeans(List<Rollout> rollouts) {
        List<String> names = config.rewardSources().names();
        Map<String, Object> out = new LinkedHashMap<>();
        for (int k = 0; k < names.size(); k++) {
            int source = k;
            out.put(
                    "rewards/" + names.get(k) + "/mean",
                    rollouts.stream()
                            .mapToDouble(r -> r.rewards()[source])
                            .average()
                            .orElse(Double.NaN));
        }
        return out;
    }

    /**
     * {@code kafka/lag/prompts/<p>}: prompts the workers have not committed, per partition (what they still have to
     * answer, or answered without committing); {@code kafka/lag/rollouts/<p>}: rollouts beyond the learner's commit.
     */
    private Map<String, Object> lag(TopicAdmin admin) {
        Map<String, Object> lag = new LinkedHashMap<>();
        admin.lag(TopicNames.workerGroup(jobId), TopicNames.prompts(jobId))
                .forEach((p, n) -> lag.put("kafka/lag/prompts/" + p, n));
        admin.lag(TopicNames.learnerGroup(jobId), TopicNames.rollouts(jobId))
                .forEach((p, n) -> lag.put("kafka/lag/rollouts/" + p, n));
        return lag;
    }

    private void report(
            LearnerState next,
            PpoStats stats,
            IterationRollouts.Batch collected,
            long start,
            long collectedAt,
            Phases phases,
            Sync sync,
            Map<String, Object> lag) {
        double rolloutSeconds = (collectedAt - start) / 1e9;
        double trainSeconds = (System.nanoTime() - collectedAt) / 1e9;
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("step", next.iteration());
        record.put("iteration", next.iteration());
        record.put("policy_version", next.version());
        record.putAll(stats.metrics());
        record.put("rollouts/per_s", collected.rollouts().size() / (rolloutSeconds + trainSeconds));
        record.put("rollouts/trained", collected.rollouts().size());
        record.put("rollouts/dropped", collected.dropped()); // duplicates, stale, other iterations
        record.put("rollouts/duplicates", collected.duplicates()); // (iteration, index) already trained or kept
        record.put("rollouts/stale", collected.stale()); // more than kafka.max_staleness versions behind
        record.put("rollouts/staleness", collected.staleness()); // versions behind the learner, mean
        record.put("rollouts/reward_failed", collected.failed()); // a reward source timed out or failed
        record.put("rollouts/dropped_groups", collected.droppedGroups()); // a member failed or never came
        record.put("rollouts/corrupt", collected.corrupt()); // records on the topic that are not rollouts, skipped
        record.putAll(rewardMeans(collected.rollouts()));
        record.put("time/rollouts", rolloutSeconds);
        record.put("time/generate", collected.generateSeconds());
        record.put("time/score", collected.scoreSeconds());
        record.put("time/train", trainSeconds);
        record.put("time/update", phases.update()); // of time/train: the PPO update (ppo.train)
        record.put("time/checkpoint", phases.checkpoint()); // of time/train: checkpoints/last (and best) written
        record.put("sync/bytes", sync.bytes()); // the policy version the workers load: an adapter with lora
        record.put("time/sync_save", sync.seconds());
        record.putAll(lag);
        run.metrics().append(record);
        context.report(next.iteration(), config.ppo().iterations(), record);
    }
}
