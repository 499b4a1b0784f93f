package dev.rlhf.core.data;

import dev.rlhf.core.tokenizer.MaskedTokens;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * Packs examples into rows of exactly {@code seqLen} tokens, {@code batchSize} rows per batch (see {@link PackedBatch}
 * for what a row holds).
 *
 * <p>Packing is next-fit in the epoch's order: examples go into the current row while they fit, and the first one that
 * does not starts the next row. That keeps the order (and so resume) a pure function of seed and epoch; rows waste at
 * most the length of the example that did not fit.
 */
public final class PackedBatcher implements Batcher<PackedBatch> {
    private final List<MaskedTokens> examples;
    private final IntFunction<int[]> order;
    private final int batchSize;
    private final int seqLen;
    private final long padId;

    /**
     * @param examples all examples, by global index; none longer than {@code seqLen}
     * @param order the example indices of an epoch, e.g. {@code mixer::epoch}
     */
    public PackedBatcher(List<MaskedTokens> examples, IntFunction<int[]> order, int batchSize, int seqLen, long padId) {
        if (batchSize < 1 || seqLen < 1) {
            throw new IllegalArgumentException("batch size and seq_len must be >= 1, got " + batchSize + ", " + seqLen);
        }
        this.examples = examples;
        this.order = order;
        this.batchSize = batchSize;
        this.seqLen = seqLen;
        this.padId = padId;
    }

    /** The example indices of each packed row of {@code epoch}, in order. */
    public List<int[]> rows(int epoch) {
        List<int[]> rows = new ArrayList<>();
        List<Integer> current = new ArrayList<>();
        int used = 0;
        for (int index : order.apply(epoch)) {
            int length = examples.get(index).length();
            if (length > seqLen) {
                throw new DataException("example " + index + " has " + length + " tokens, more than seq_len " + seqLen);
            }
            if (length == 0) {
                continue;
            }
            if (used + length > seqLen) {
                rows.add(current.stream().mapToInt(Integer::intValue).toArray());
                current.clear();
                used = 0;
            }
            current.add(index);
            used += length;
        }
        if (!current.isEmpty()) {
            rows.add(current.stream().mapToInt(Integer::intValue).toArray());
        }
        return rows;
    }

    @Override
    public int steps(int epoch) {
        return (rows(epoch).size() + batchSize - 1) / batchSize;
    }

    @Override
    public Iterator<PackedBatch> batches(int epoch, int fromStep) {
        List<int[]> rows = rows(epoch);
        int steps = (rows.size() + batchSize - 1) / batchSize;
        checkStep(fromStep, steps, epoch);
        return IntStream.range(fromStep, steps)
                .mapToObj(s -> pack(rows.subList(s * batchSize, Math.min((s + 1) * batchSize, rows.size()))))
                .iterator();
    }

    private PackedBatch pack(List<int[]> rows) {
        long[][] ids = new long[rows.size()][seqLen];
        long[][] segments = new long[rows.size()][seqLen];
        long[][] positions = new long[rows.size()][seqLen];
        long[][] loss = new long[rows.size()][seqLen];
        for (int b = 0; b < rows.size(); b++) {
            Arrays.fill(ids[b], padId);
            Arrays.fill(segments[b], -1);
            int at = 0;
            int[] row = rows.get(b);
            for (int segment = 0; segment < row.length; segment++) {
                MaskedTokens example = examples.get(row[segment]);
                System.arraycopy(example.ids(), 0, ids[b], at, example.length());
                for (int t = 0; t < example.length(); t++) {
                    segments[b][at + t] = segment;
                    positions[b][at + t] = t;
                    // Token 0 of an example would be predicted from the previous example: never a target.
                    loss[b][at + t] = t > 0 && example.lossMask()[t] ? 1 : 0;
                }
                at += example.length();
            }
        }
        return new PackedBatch(ids, segments, positions, loss);
    }

    static void checkStep(int fromStep, int steps, int epoch) {
        if (fromStep < 0 || fromStep > steps) {
            throw new IllegalArgumentException(
                    "step " + fromStep + " is outside epoch " + epoch + ", which has " + steps + " steps");
        }
    }
}
