package dev.rlhf.cli.bench;

import dev.rlhf.core.data.DataFormat;
import dev.rlhf.core.data.DatasetSpec;
import dev.rlhf.core.data.PairBatch;
import dev.rlhf.core.data.PairBatcher;
import dev.rlhf.core.data.RankedExample;
import dev.rlhf.core.data.RmData;
import dev.rlhf.core.model.RewardModel;
import dev.rlhf.core.rm.RmTask;
import dev.rlhf.core.tokenizer.Tokenizer;
import dev.rlhf.core.train.AdamW;
import dev.rlhf.core.train.GradientClipping;
import dev.rlhf.core.train.ModelInit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * Reward-model throughput on real preference pairs: pairs per second trained (one forward of 2B rows, the
 * Bradley-Terry loss, backward, clipping, AdamW: as {@code RmTask} runs in a job) and pairs per second scored (the
 * same batches, inference only). Batches of {@code batch} pairs are cut from the first pairs of the data file,
 * truncated to {@code seqLen} tokens as a job would; each figure is the median of {@code runs} repetitions after one
 * warm-up.
 */
public final class RewardModelBenchmark {

    private final Path modelConfig;
    private final Path tokenizerDir;
    private final Path data;
    private final int batch;
    private final int seqLen;
    private final int runs;

    public RewardModelBenchmark(Path modelConfig, Path tokenizerDir, Path data, int batch, int seqLen, int runs) {
        this.modelConfig = modelConfig;
        this.tokenizerDir = tokenizerDir;
        this.data = data;
        this.batch = batch;
        this.seqLen = seqLen;
        this.runs = runs;
    }

    /** Mean tokens per (prompt, reply) sequence of the batches, then the figures. */
    public record Report(double tokensPerSequence, List<ModelBenchmark.Result> results) {}

    /** @param steps batches per timed run */
    public Report run(int steps) {
        try (Tokenizer tokenizer = Tokenizer.load(tokenizerDir);
                RewardModel rm = RewardModel.withNewHead(ModelInit.fresh(modelConfig, tokenizer, 0), 0)) {
            int pad = tokenizer.padId().orElse(tokenizer.eosId());
            List<PairBatch> batches = batches(tokenizer, pad, steps);
            double tokens = batches.stream().mapToLong(PairBatch::realTokens).sum();
            double rows = batches.stream().mapToInt(b -> b.ids().length).sum();
            RmTask task = new RmTask(rm, tokenizerDir, pad);
            List<ModelBenchmark.Result> results = List.of(
                    ModelBenchmark.measure("train pairs/s", "pairs/s", runs, () -> train(task, batches)),
                    ModelBenchmark.measure("score pairs/s", "pairs/s", runs, () -> score(task, batches)));
            return new Report(tokens / rows, results);
        }
    }

    private List<PairBatch> batches(Tokenizer tokenizer, long pad, int steps) {
        DatasetSpec spec = DatasetSpec.of(data, DataFormat.AUTO);
        RmData all = RmData.load(List.of(spec), tokenizer, seqLen, 0, Optional.empty());
        List<RankedExample> examples = all.examples();
        if (examples.size() < batch * steps) {
            throw new IllegalArgumentException(
                    data + ": " + examples.size() + " rows, fewer than batch x steps = " + batch * steps);
        }
        int[] first = IntStream.range(0, batch * steps).toArray();
        List<PairBatch> out = new ArrayList<>();
        new PairBatcher(examples, epoch -> first, batch, pad).batches(0, 0).forEachRemaining(out::add);
        return out;
    }

    private double train(RmTask task, List<PairBatch> batches) {
        try (AdamW adam = new AdamW(
                new AdamW.Settings(0.9f, 0.95f, 1e-8f, 0f),
                task.parameters().values().iterator().next().getArray().getManager())) {
            long start = System.nanoTime();
            for (PairBatch b : batches) {
                task.backward(b, 1f);
                GradientClipping.clipGlobalNorm(task.parameters().values(), 1.0);
                adam.update(task.parameters(), 1e-4f);
            }
            return (double) batches.size() * batch / ModelBenchmark.seconds(start);
        }
    }

    private double score(RmTask task, List<PairBatch> batches) {
        long start = System.nanoTime();
        for (PairBatch b : batches) {
            task.rewards(b);
        }
        return (double) batches.size() * batch / ModelBenchmark.seconds(start);
    }
}
