package dev.rlhf.core.sft;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.core.checkpoint.HfCheckpoint;
import dev.rlhf.core.config.ComposedConfig;
import dev.rlhf.core.config.ConfigWriter;
import dev.rlhf.core.config.ResumePolicy;
import dev.rlhf.core.data.Batcher;
import dev.rlhf.core.data.SftData;
import dev.rlhf.core.data.TokenBatch;
import dev.rlhf.core.jobs.JobContext;
import dev.rlhf.core.jobs.PreparedJob;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.runs.RunDirectory;
import dev.rlhf.core.tokenizer.Tokenizer;
import dev.rlhf.core.train.EpochBatches;
import dev.rlhf.core.train.JobAdapter;
import dev.rlhf.core.train.MemoryEstimate;
import dev.rlhf.core.train.ModelInit;
import dev.rlhf.core.train.RunStart;
import dev.rlhf.core.train.TrainingLoop;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Optional;

/** One SFT or pretraining run: model and data in, checkpoints, metrics and samples out; resumes from {@code last}. */
final class SftJob implements PreparedJob {

    private final SftConfig config;
    private final ComposedConfig composed;
    private final RunDirectory run;
    private final MemoryEstimate memory;

    SftJob(SftConfig config, ComposedConfig composed, RunDirectory run, MemoryEstimate memory) {
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
                LanguageModel lm = model(resumeFrom, tokenizer)) {
            boolean pretrain = config.mode() == SftMode.PRETRAIN;
            SftData data = SftData.load(
                    config.data().specs(),
                    tokenizer,
                    config.seqLen(),
                    pretrain,
                    config.train().seed());
            long pad = tokenizer.padId().orElse(tokenizer.eosId());
            int batch = config.train().batchSize();
            Batcher<? extends TokenBatch> train = data.trainBatcher(batch, config.packing(), config.seqLen(), pad);
            Batcher<? extends TokenBatch> eval = data.evalBatcher(batch, config.packing(), config.seqLen(), pad);
            SampleWriter samples = new SampleWriter(tokenizer, config.samples(), !pretrain, run.samples());
            Optional<JobAdapter> adapter = adapter(lm, resumeFrom);
            SftTask task = new SftTask(
                    lm,
                    adapter,
                    tokenizer.file().getParent(),
                    samples,
                    config.save().options(),
                    config.train().gradientCheckpointing());
            JsonNode resolved = new ObjectMapper().valueToTree(ConfigWriter.toTree(config));
            TrainingLoop<TokenBatch> loop = new TrainingLoop<>(
                    task, epochs(train), () -> widen(eval.batches(0)), config.train(), run, resolved, context);
            loop.reportSkippedLines(data.stats(), start.state().step());
            adapter.ifPresent(a -> a.report(run, context, start.state().step(), loop.totalSteps()));
            loop.run(start.state(), start.optimizerFile());
        }
    }

    /** With LoRA the base always comes from {@code model.path}: a checkpoint holds only the adapter. */
    private LanguageModel model(Optional<Path> resumeFrom, Tokenizer tokenizer) {
        Optional<Path> dir = JobAdapter.wanted(config.lora(), config.model())
                ? config.model().path()
                : resumeFrom.or(() -> config.model().path());
        if (dir.isPresent()) {
            HfCheckpoint.requireWithinSlidingWindow(dir.get(), config.seqLen(), "seq_len");
            return HfCheckpoint.load(dir.get());
        }
        return ModelInit.fresh(
                config.model().init().orElseThrow(), tokenizer, config.train().seed());
    }

    private Optional<JobAdapter> adapter(LanguageModel lm, Optional<Path> resumeFrom) {
        if (!JobAdapter.wanted(config.lora(), config.model())) {
            return Optional.empty();
        }
        return Optional.of(JobAdapter.attach(
                lm, config.lora(), config.model(), resumeFrom, config.train().seed()));
    }

    private static EpochBatches<TokenBatch> epochs(Batcher<? extends TokenBatch> batcher) {
        return new EpochBatches<>() {
            @Override
            public int count(int epoch) {
                return batcher.steps(epoch);
            }

            @Override
            public Iterator<TokenBatch> from(int epoch, int from) {
                return widen(batcher.batches(epoch, from));
            }
        };
    }

    private static Iterator<TokenBatch> widen(Iterator<? extends TokenBatch> it) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public TokenBatch next() {
                return it.next();
            }
        };
    }
}
