package dev.rlhf.core.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Several datasets read and tokenised into one list of examples, the mixer that draws each epoch's training rows and
 * holds out the evaluation rows, and per-dataset statistics: what SFT and reward-model data share.
 *
 * @param <T> one tokenised example (an SFT sequence, a group of ranked replies)
 */
record MixedDatasets<T>(List<T> examples, DatasetMixer mixer, DatasetStats stats) {

    /** One dataset read and tokenised, with what reading it cost. */
    record Loaded<T>(String format, int rows, int skipped, int truncated, List<T> examples) {}

    /**
     * Reads every spec with {@code read}, in order, and mixes them by {@code seed}; {@code tokens} counts an example's
     * tokens for the statistics.
     */
    static <T> MixedDatasets<T> of(
            List<DatasetSpec> specs, Function<DatasetSpec, Loaded<T>> read, ToLongFunction<T> tokens, long seed) {
        List<T> examples = new ArrayList<>();
        List<MixSource> sources = new ArrayList<>();
        List<Loaded<T>> loaded = new ArrayList<>();
        for (DatasetSpec spec : specs) {
            Loaded<T> dataset = read.apply(spec);
            loaded.add(dataset);
            examples.addAll(dataset.examples());
            sources.add(new MixSource(spec.name(), dataset.examples().size(), spec.sample(), spec.eval()));
        }
        DatasetMixer mixer = new DatasetMixer(sources, seed);
        List<DatasetStats.Entry> entries = new ArrayList<>();
        for (int s = 0; s < specs.size(); s++) {
            Loaded<T> dataset = loaded.get(s);
            TrainEvalSplit split = mixer.split(s);
            entries.add(new DatasetStats.Entry(
                    specs.get(s).name(),
                    dataset.format(),
                    dataset.rows(),
                    dataset.skipped(),
                    dataset.truncated(),
                    split.train().length,
                    count(dataset.examples(), split.train(), tokens),
                    split.eval().length,
                    count(dataset.examples(), split.eval(), tokens)));
        }
        return new MixedDatasets<>(examples, mixer, new DatasetStats(entries));
    }

    private static <T> long count(List<T> examples, int[] indices, ToLongFunction<T> tokens) {
        return Arrays.stream(indices)
                .mapToLong(i -> tokens.applyAsLong(examples.get(i)))
                .sum();
    }
}
