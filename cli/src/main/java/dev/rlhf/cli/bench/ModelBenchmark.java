package dev.rlhf.cli.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.rlhf.core.generation.Generator;
import dev.rlhf.core.generation.SamplingConfig;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.LlamaConfig;
import dev.rlhf.core.model.NoGrad;
import dev.rlhf.core.train.AdamW;
import dev.rlhf.core.train.GradientClipping;
import dev.rlhf.core.train.TrainStep;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleSupplier;
import java.util.stream.Collectors;

/**
 * Throughput of the core model on this machine: training (forward + backward + clipping + AdamW, as the trainers
 * run it), forward only, and decoding with and without the KV cache (B prompts, and one prompt for latency). Every
 * figure is the median of {@code runs} timed repetitions after one warm-up.
 */
public final class ModelBenchmark {

    /** The figures a run can measure; a real-size model's decode can be measured without its training step. */
    public enum Figure {
        TRAIN,
        FORWARD,
        DECODE,
        DECODE_NO_CACHE,
        DECODE_B1
    }

    /** One figure: what was measured, its median and every run. */
    public record Result(String name, String unit, double median, double[] runs) {
        /** {@code name  median VALUE unit   runs: v1 v2 ...}, aligned for a table. */
        public String line() {
            String all = Arrays.stream(runs)
                    .mapToObj(v -> String.format(Locale.ROOT, "%.0f", v))
                    .collect(Collectors.joining(" "));
            return String.format(Locale.ROOT, "%-32s median %10.1f %s   runs: %s", name, median, unit, all);
        }
    }

    private final LlamaConfig config;
    private final int batch;
    private final int seqLen;
    private final int runs;
    private final int promptLength;

    /** @param promptLength tokens of each decode prompt (training and forward use {@code seqLen}) */
    public ModelBenchmark(LlamaConfig config, int batch, int seqLen, int runs, int promptLength) {
        this.config = config;
        this.batch = batch;
        this.seqLen = seqLen;
        this.runs = runs;
        this.promptLength = promptLength;
    }

    public List<Result> run(Set<Figure> figures, int trainSteps, int newTokens) {
        List<Result> results = new ArrayList<>();
        try (LanguageModel lm = LanguageModel.create(config, 0)) {
            for (Figure figure : figures) {
                results.add(
                        switch (figure) {
                            case TRAIN -> measure("train tokens/s", "tokens/s", () -> train(lm, trainSteps));
                            case FORWARD -> measure("forward tokens/s", "tokens/s", () -> forward(lm));
                            case DECODE ->
                                measure(
                                        "decode tokens/s, KV cache",
                                        "tokens/s",
                                        () -> decode(lm, batch, newTokens, true));
                            case DECODE_NO_CACHE ->
                                measure(
                                        "decode tokens/s, no cache",
                                        "tokens/s",
                                        () -> decode(lm, batch, newTokens, false));
                            case DECODE_B1 ->
                                measure(
                                        "decode tokens/s, KV cache, B=1",
                                        "tokens/s",
                                        () -> decode(lm, 1, newTokens, true));
                        });
            }
        }
        return results;
    }

    private double train(LanguageModel lm, int steps) {
        Map<String, Parameter> parameters = lm.block().hfParameters();
        try (AdamW adam = new AdamW(new AdamW.Settings(0.9f, 0.95f, 1e-8f, 0.1f), lm.manager())) {
            long start = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                try (NDManager m = lm.manager().newSubManager()) {
                    NDList inputs = randomBatch(m);
                    TrainStep.backward(lm.block(), inputs, inputs, 1f);
                    GradientClipping.clipGlobalNorm(parameters.values(), 1.0);
                    adam.update(parameters, 1e-4f);
                }
            }
            return (double) steps * batch * seqLen / seconds(start);
        }
    }

    /**
     * One forward to the (B, T, V) logits without gradients, as PyTorch's {@code no_grad} forward: the logits stay in
     * native memory; reading one element only waits for them (on a GPU) rather than copying 4 B T V bytes to Java.
     */
    private double forward(LanguageModel lm) {
        try (NoGrad noGrad = NoGrad.open();
                NDManager m = lm.manager().newSubManager()) {
            NDList inputs = randomBatch(m);
            long start = System.nanoTime();
            lm.logits(inputs.get(0), inputs.get(1)).get(0, 0, 0).getFloat();
            return (double) batch * seqLen / seconds(start);
        }
    }

    /** {@code rows} prompts of {@code promptLength} tokens, {@code newTokens} greedy tokens each (no stop token). */
    private double decode(LanguageModel lm, int rows, int newTokens, boolean kvCache) {
        List<long[]> prompts = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            long[] prompt = new long[promptLength];
            int row = r;
            Arrays.setAll(prompt, i -> 1 + (i * 37L + row * 101L) % (config.vocabSize() - 1));
            prompts.add(prompt);
        }
        Generator generator = new Generator(lm, null);
        long start = System.nanoTime();
        generator.generate(prompts, SamplingConfig.greedy(newTokens).withKvCache(kvCache));
        return (double) rows * newTokens / seconds(start);
    }

    private NDList randomBatch(NDManager m) {
        NDArray ids = m.randomInteger(0, config.vocabSize(), new Shape(batch, seqLen), DataType.INT64);
        NDArray mask = m.ones(new Shape(batch, seqLen), DataType.INT64);
        return new NDList(ids, mask);
    }

    private Result measure(String name, String unit, DoubleSupplier once) {
        return measure(name, unit, runs, once);
    }

    /** The median of {@code runs} calls of {@code once} (each returns a rate), after one warm-up call. */
    static Result measure(String name, String unit, int runs, DoubleSupplier once) {
        once.getAsDouble(); // warm-up: allocator, JIT, thread pools
        double[] values = new double[runs];
        for (int i = 0; i < runs; i++) {
            values[i] = once.getAsDouble();
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double median = sorted.length % 2 == 1
                ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        return new Result(name, unit, median, values);
    }

    static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
