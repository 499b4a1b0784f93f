package dev.rlhf.core.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * Cuts an epoch's ranked examples into {@link PairBatch}es of {@code batchSize} examples (the last may have fewer),
 * in the epoch's order; like {@link PaddedBatcher}, the batches depend only on the order, so a resumed job continues
 * at any batch.
 */
public final class PairBatcher {
    private final List<RankedExample> examples;
    private final IntFunction<int[]> order;
    private final int batchSize;
    private final long padId;

    /**
     * @param examples all examples, by global index
     * @param order the example indices of an epoch, e.g. {@code mixer::epoch}, or {@code e -> mixer.eval()}
     * @param batchSize examples (pairs, or ranked groups) per batch
     * @param padId the id that fills padding
     */
    public PairBatcher(List<RankedExample> examples, IntFunction<int[]> order, int batchSize, long padId) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        this.examples = examples;
        this.order = order;
        this.batchSize = batchSize;
        this.padId = padId;
    }

    /** The number of batches in {@code epoch}. */
    public int steps(int epoch) {
        return (order.apply(epoch).length + batchSize - 1) / batchSize;
    }

    /** The batches of {@code epoch} from batch {@code fromStep} on, built lazily. */
    public Iterator<PairBatch> batches(int epoch, int fromStep) {
        int[] indices = order.apply(epoch);
        int steps = (indices.length + batchSize - 1) / batchSize;
        PackedBatcher.checkStep(fromStep, steps, epoch);
        return IntStream.range(fromStep, steps)
                .mapToObj(s -> pad(Arrays.stream(indices, s * batchSize, Math.min((s + 1) * batchSize, indices.length))
                        .mapToObj(examples::get)
                        .toList()))
                .iterator();
    }

    /** {@code group} as one batch: every completion a row, right-padded with the pad id to the longest. */
    public PairBatch pad(List<RankedExample> group) {
        List<long[]> rows = new ArrayList<>();
        int[] sizes = new int[group.size()];
        float[] margins = new float[group.size()];
        for (int g = 0; g < group.size(); g++) {
            rows.addAll(group.get(g).completions());
            sizes[g] = group.get(g).replies();
            margins[g] = (float) group.get(g).margin();
        }
        int width = rows.stream().mapToInt(r -> r.length).max().orElse(0);
        long[][] ids = new long[rows.size()][width];
        long[][] mask = new long[rows.size()][width];
        for (int r = 0; r < rows.size(); r++) {
            long[] row = rows.get(r);
            Arrays.fill(ids[r], padId);
            System.arraycopy(row, 0, ids[r], 0, row.length);
            Arrays.fill(mask[r], 0, row.length, 1L);
        }
        return new PairBatch(ids, mask, sizes, margins);
    }
}
