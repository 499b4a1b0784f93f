package dev.rlhf.core.rm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.core.checkpoint.HfCheckpoint;
import dev.rlhf.core.checkpoint.RewardStats;
import dev.rlhf.core.config.ComposedConfig;
import dev.rlhf.core.config.ConfigWriter;
import dev.rlhf.core.config.ResumePolicy;
import dev.rlhf.core.data.PairBatcher;
import dev.rlhf.core.data.RmData;
import dev.rlhf.core.jobs.JobContext;
import dev.rlhf.core.jobs.PreparedJob;
import dev.rlhf.core.lora.PeftAdapter;
import dev.rlhf.core.model.RewardModel;
import dev.rlhf.core.runs.RunDirectory;
import dev.rlhf.core.tokenizer.Tokenizer;
import dev.rlhf.core.train.EpochBatches;
import dev.rlhf.core.train.JobAdapter;
import dev.rlhf.core.train.MemoryEstimate;
import dev.rlhf.core.train.ModelInit;
import dev.rlhf.core.train.RunStart;
import dev.rlhf.core.train.TrainingLoop;
import dev.rlhf.core.train.TrainingState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One reward-model run: backbone and preference data in; checkpoints (each with {@code reward_stats.json}), metrics
 * and the epoch log out; resumes from {@code last}.
 */
final class RmJob implements PreparedJob {

    private final RmConfig config;
    private final ComposedConfig composed;
    private final RunDirectory run;
    private final MemoryEstimate memory;

    RmJob(RmConfig config, ComposedConfig composed, RunDirectory run, MemoryEstimate memory) {
        this.config = config;
        this.composed = composed;
        this.run = run;
        this.memory = memory;
    }

    @Override
    public Path runDir() {
        return run.path();
    }

    @Override
    public Optional<MemoryEstimate> memoryEstimate() {
        return Optional.of(memory);
    }

    @Override
    public Optional<Long> finishedStep() {
        return config.run().resume() instanceof ResumePolicy.Auto ? run.finishedStep() : Optional.empty();
    }

    @Override
    public void run(JobContext context) throws Exception {
        RunStart start = RunStart.open(
                run, config, composed, config.run().resume(), config.train().seed());
        Optional<Path> resumeFrom = start.resumeFrom();
        try (Tokenizer tokenizer = Tokenizer.load(ModelInit.tokenizerSource(config.model(), resumeFrom));
                RewardModel rm = model(resumeFrom, tokenizer)) {
            long seed = config.train().seed();
            RmData data = RmData.load(config.data().specs(), tokenizer, config.seqLen(), seed, config.marginColumn());
            int pad = tokenizer.padId().orElse(tokenizer.eosId());
            int batch = config.train().batchSize();
            PairBatcher train = data.trainBatcher(batch, pad);
            PairBatcher eval = data.evalBatcher(batch, pad);
            Optional<JobAdapter> adapter = adapter(rm, resumeFrom);
            RmTask task = new RmTask(
                    rm,
                    adapter,
                    tokenizer.file().getParent(),
                    pad,
                    config.save().options(),
                    config.train().gradientCheckpointing());
            JsonNode resolved = new ObjectMapper().valueToTree(ConfigWriter.toTree(config));
            var loop = new TrainingLoop<>(
                    task,
                    EpochBatches.of(train::steps, train::batches),
                    () -> eval.batches(0, 0),
                    config.train(),
                    run,
                    resolved,
                    context);
            loop.reportSkippedLines(data.stats(), start.state().step());
            adapter.ifPresent(a -> a.report(run, context, start.state().step(), loop.totalSteps()));
            loop.run(start.state(), start.optimizerFile());
            if (!context.cancelled()) {
                writeRewardStats(rm, data.trainBest(config.rewardStatsSamples(), seed), pad);
            }
        }
    }

    /** With LoRA the base always comes from {@code model.path}: a checkpoint holds only the adapter and the head. */
    private RewardModel model(Optional<Path> resumeFrom, Tokenizer tokenizer) {
        long seed = config.train().seed();
        boolean lora = JobAdapter.wanted(config.lora(), config.model());
        Optional<Path> dir = lora
                ? config.model().path()
                : resumeFrom.or(() -> config.model().path());
        if (dir.isPresent()) {
            HfCheckpoint.requireWithinSlidingWindow(dir.get(), config.seqLen(), "seq_len");
        }
        if (resumeFrom.isPresent() && !lora) {
            return HfCheckpoint.loadRewardModel(resumeFrom.get(), null);
        }
        if (config.model().path().isPresent()) {
            return HfCheckpoint.loadRewardModel(config.model().path().get(), seed);
        }
        return RewardModel.withNewHead(ModelInit.fresh(config.model().init().orElseThrow(), tokenizer, seed), seed);
    }

    private Optional<JobAdapter> adapter(RewardModel rm, Optional<Path> resumeFrom) {
        if (!JobAdapter.wanted(config.lora(), config.model())) {
            return Optional.empty();
        }
        return Optional.of(JobAdapter.attach(
                rm, config.lora(), config.model(), resumeFrom, config.train().seed()));
    }

    /** The reward model {@code best/} holds: the whole model, or the base with best's adapter and head. */
    private RewardModel loadBest(Path best) {
        if (!JobAdapter.wanted(config.lora(), config.model())) {
            return HfCheckpoint.loadRewardModel(best, null);
        }
        RewardModel rm = HfCheckpoint.loadRewardModel(
                config.model().path().orElseThrow(), config.train().seed());
        try {
            PeftAdapter.load(rm, best);
            return rm;
        } catch (RuntimeException e) {
            rm.close();
            throw e;
        }
    }

    /**
     * Scores the training prompts' best replies with the final weights for {@code last/}, and with best's own weights
     * for {@code best/} (loaded from disk unless best was saved at the final step).
     */
    private void writeRewardStats(RewardModel rm, List<long[]> sequences, long pad) {
        int batch = config.train().batchSize();
        RewardStats last = RewardStats.of(new RewardScorer(rm, pad, batch).score(sequences));
        last.write(run.lastCheckpoint());
        Path best = run.bestCheckpoint();
        if (!Files.isRegularFile(best.resolve(TrainingState.FILE))) {
            return;
        }
        if (TrainingState.read(best).step()
                == TrainingState.read(run.lastCheckpoint()).step()) {
            last.write(best);
            return;
        }
        try (RewardModel bestModel = loadBest(best)) {
            RewardStats.of(new RewardScorer(bestModel, pad, batch).score(sequences))
                    .write(best);
        }
    }
}
