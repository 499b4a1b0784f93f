package dev.rlhf.rl.worker;

import dev.rlhf.core.jobs.Cancellation;
import dev.rlhf.core.reward.RewardSources;
import dev.rlhf.core.rollout.Prompt;
import dev.rlhf.core.rollout.PromptTask;
import dev.rlhf.core.rollout.RolloutBatch;
import dev.rlhf.core.rollout.RolloutMaker;
import dev.rlhf.proto.v1.JobEnd;
import dev.rlhf.proto.v1.PolicyVersion;
import dev.rlhf.proto.v1.PromptRecord;
import dev.rlhf.rl.kafka.ConsumedPrompt;
import dev.rlhf.rl.kafka.KafkaClients;
import dev.rlhf.rl.kafka.PolicyVersions;
import dev.rlhf.rl.kafka.PromptQueue;
import dev.rlhf.rl.kafka.RecordPosition;
import dev.rlhf.rl.kafka.RolloutLog;
import dev.rlhf.rl.mapping.RolloutRecords;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A rollout worker: takes prompts from the job's prompts topic (one consumer group for all workers, so they split
 * the partitions), rolls them out with the newest announced policy version, publishes the rollouts, and only then
 * commits the prompts (a crash re-delivers them; the learner drops the duplicates). Reloads the policy whenever the
 * learner announces a new version, and before answering a prompt that asks for a newer version than it has: a whole
 * checkpoint, or a LoRA policy's adapter ({@link WorkerPolicy}).
 *
 * <p>Back-pressure: a prompt of iteration {@code i} is answered only with policy version {@code i - max_staleness} or
 * newer (the learner trains iteration {@code i} at version {@code i} and drops rollouts more than {@code
 * max_staleness} versions behind), so the worker waits for the learner rather than produce rollouts it would drop.
 *
 * <p>When the learner announces the job's end, the worker finishes the batch in hand (publish, commit) and returns;
 * {@link #ended()} then says why. An end already on the topic when the worker joins belongs to an earlier run of the
 * job, which its learner is resuming (a {@code role: worker} process refuses such a job before it starts workers).
 */
public final class RolloutWorker implements Runnable {

    private static final Logger LOG = Logger.getLogger(RolloutWorker.class.getName());

    private static final Duration VERSION_WAIT = Duration.ofMinutes(5);

    private final String workerId;
    private final String jobId;
    private final KafkaClients kafka;
    private final RolloutMaker maker;
    private final RewardSources rewards;
    private final int batch;
    private final long seed;
    private final int maxStaleness;
    private volatile JobEnd ended;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private volatile Throwable failure;
    private final WorkerPolicy policy;
    private long version = -1;

    /** A worker that loads each announced version as a full checkpoint. */
    public RolloutWorker(
            String workerId,
            String jobId,
            KafkaClients kafka,
            RolloutMaker maker,
            RewardSources rewards,
            int batch,
            long seed,
            int maxStaleness) {
        this(workerId, jobId, kafka, maker, new FullPolicy(), rewards, batch, seed, maxStaleness);
    }

    /**
     * @param policy what the announced versions are loaded into; the worker closes it when it stops
     * @param maxStaleness {@code kafka.max_staleness}: how many versions behind a prompt's iteration the policy may be
     */
    public RolloutWorker(
            String workerId,
            String jobId,
            KafkaClients kafka,
            RolloutMaker maker,
            WorkerPolicy policy,
            RewardSources rewards,
            int batch,
            long seed,
            int maxStaleness) {
        this.maxStaleness = maxStaleness;
        this.policy = policy;
        this.workerId = workerId;
        this.rewards = rewards;
        this.jobId = jobId;
        this.kafka = kafka;
        this.maker = maker;
        this.batch = batch;
        this.seed = seed;
    }

    public String id() {
        return workerId;
    }

    public void stop() {
        stopped.set(true);
    }

    /** Why the job ended, once the worker saw its learner announce it (and stopped). */
    public Optional<JobEnd> ended() {
        return Optional.ofNullable(ended);
    }

    /** Why the worker stopped on its own, if it did. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /**
     * Serves prompts until {@link #stop()}; a stop during a generation ends it within one decode step (the thread's
     * {@link Cancellation} is this worker's stop), leaving the batch's prompts uncommitted for another worker.
     */
    @Override
    public void run() {
        try (Cancellation.Scope scope = Cancellation.bind(stopped::get);
                PromptQueue.Worker prompts = PromptQueue.worker(kafka, jobId, workerId, batch, Duration.ofMinutes(10));
                RolloutLog.Publisher out = RolloutLog.publisher(kafka, jobId, workerId);
                PolicyVersions.Listener versions = PolicyVersions.listener(kafka, jobId, Duration.ofSeconds(5))) {
            long endsBefore = versions.endsRead();
            versions.latest().ifPresent(this::load);
            while (!stopped.get() && !ended(versions, endsBefore)) {
                versions.poll(Duration.ZERO).ifPresent(this::load);
                if (ended(versions, endsBefore)) {
                    break;
                }
                if (policy.model().isEmpty()) {
                    versions.poll(Duration.ofMillis(200)).ifPresent(this::load);
                    continue;
                }
                PromptQueue.Polled polled = prompts.poll(Duration.ofMillis(200));
                List<ConsumedPrompt> consumed = polled.prompts();
                if (consumed.isEmpty()) {
                    prompts.commit(polled.corrupt()); // nothing to answer before committing past them
                    continue;
                }
                long required = consumed.stream()
                        .mapToLong(c -> requiredVersion(c.prompt()))
                        .max()
                        .orElse(0);
                awaitVersion(versions, required, endsBefore);
                if (version < required) {
                    continue; // stopped, or the job ended, while waiting: leave the prompts uncommitted
                }
                LOG.fine(() -> "worker " + workerId + ": answering prompts "
                        + consumed.stream()
                                .map(c -> c.prompt().getIteration() + ":"
                                        + c.prompt().getIndex())
                                .toList()
                        + " with policy version " + version);
                List<PromptTask> tasks = consumed.stream()
                        .map(c -> new PromptTask(
                                c.prompt().getIteration(),
                                c.prompt().getIndex(),
                                new Prompt(
                                        c.prompt().getPrompt(),
                                        c.prompt().hasAnswer()
                                                ? Optional.of(c.prompt().getAnswer())
                                                : Optional.empty())))
                        .toList();
                long batchSeed = seed * 31
                        + tasks.get(0).iteration() * 1_000
                        + tasks.get(0).index();
                RolloutBatch rollouts = maker.make(policy.model().orElseThrow(), version, tasks, batchSeed);
                rollouts.failed().stream()
                        .map(RolloutBatch.Failed::reason)
                        .distinct()
                        .forEach(reason -> LOG.warning("worker " + workerId + ": "
                                + rollouts.failed().size() + " rollouts failed: " + reason));
                out.publishAll(RolloutRecords.toRecords(rollouts, rewards::rawTotal, jobId, workerId));
                List<RecordPosition> done = new ArrayList<>(consumed);
                done.addAll(polled.corrupt());
                prompts.commit(done);
            }
            if (ended(versions, endsBefore)) {
                ended = versions.ended().orElseThrow();
                LOG.info("worker " + workerId + ": job " + jobId + " ended (" + ended + "), stopping");
            }
        } catch (RuntimeException | Error e) {
            if (stopped.get() && Cancellation.isCancellation(e)) {
                return; // stopped mid-generation: not a failure
            }
            failure = e;
            LOG.log(Level.SEVERE, "worker " + workerId + " stopped: " + e.getMessage(), e);
        } finally {
            policy.close();
        }
    }

    /** Whether the learner announced the end of this run of the job (not of an earlier one, before this worker joined). */
    private static boolean ended(PolicyVersions.Listener versions, long endsBefore) {
        return versions.ended().isPresent() && versions.endsRead() > endsBefore;
    }

    /**
     * The oldest policy version that may answer {@code prompt}: the one the learner asked for, and no more than
     * {@code max_staleness} versions behind the prompt's iteration.
     */
    private long requiredVersion(PromptRecord prompt) {
        return Math.max(prompt.getMinPolicyVersion(), prompt.getIteration() - maxStaleness);
    }

    /**
     * Reloads until the policy is at least {@code required} (the learner publishes prompts only after announcing the
     * version they ask for, so it is on its way).
     */
    private void awaitVersion(PolicyVersions.Listener versions, long required, long endsBefore) {
        long deadline = System.nanoTime() + VERSION_WAIT.toNanos();
        while (version < required && !stopped.get() && !ended(versions, endsBefore)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("policy version " + required + " was not announced within "
                        + VERSION_WAIT.toSeconds() + " s (the worker has version " + version + ")");
            }
            versions.poll(Duration.ofMillis(200)).ifPresent(this::load);
        }
    }

    private void load(PolicyVersion announced) {
        if (announced.getVersion() <= version) {
            return;
        }
        policy.load(Path.of(announced.getCheckpointPath()));
        version = announced.getVersion();
    }
}
