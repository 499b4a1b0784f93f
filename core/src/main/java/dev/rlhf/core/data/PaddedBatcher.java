package dev.rlhf.core.data;

import dev.rlhf.core.tokenizer.MaskedTokens;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/** One example per row, {@code batchSize} rows per batch (the last batch of an epoch may have fewer), right-padded. */
public final class PaddedBatcher implements Batcher<Batch> {
    private final List<MaskedTokens> examples;
    private final IntFunction<int[]> order;
    private final int batchSize;
    private final long padId;

    /**
     * @param examples all examples, by global index
     * @param order the example indices of an epoch, e.g. {@code mixer::epoch}, or {@code e -> mixer.eval()}
     * @param batchSize rows per batch
     * @param padId the id that fills padding
     */
    public PaddedBatcher(List<MaskedTokens> examples, IntFunction<int[]> order, int batchSize, long padId) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        this.examples = examples;
        this.order = order;
        this.batchSize = batchSize;
        this.padId = padId;
    }

    @Override
    public int steps(int epoch) {
        return (order.apply(epoch).length + batchSize - 1) / batchSize;
    }

    @Override
    public Iterator<Batch> batches(int epoch, int fromStep) {
        int[] indices = order.apply(epoch);
        int steps = (indices.length + batchSize - 1) / batchSize;
        PackedBatcher.checkStep(fromStep, steps, epoch);
        return IntStream.range(fromStep, steps)
                .mapToObj(s -> pad(Arrays.stream(indices, s * batchSize, Math.min((s + 1) * batchSize, indices.length))
                        .mapToObj(examples::get)
                        .toList()))
                .iterator();
    }

    /** {@code rows} as one batch, right-padded with the pad id to the longest. */
    public Batch pad(List<MaskedTokens> rows) {
        int width = rows.stream().mapToInt(MaskedTokens::length).max().orElse(0);
        long[][] ids = new long[rows.size()][width];
        long[][] padding = new long[rows.size()][width];
        long[][] loss = new long[rows.size()][width];
        for (int b = 0; b < rows.size(); b++) {
            MaskedTokens example = rows.get(b);
            Arrays.fill(ids[b], padId);
            System.arraycopy(example.ids(), 0, ids[b], 0, example.length());
            for (int t = 0; t < example.length(); t++) {
                padding[b][t] = 1;
                loss[b][t] = example.lossMask()[t] ? 1 : 0;
            }
        }
        return new Batch(ids, padding, loss);
    }
}
