package dev.rlhf.core.rm;

import ai.djl.ndarray.NDManager;
import dev.rlhf.core.model.RewardModel;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Scores token sequences with a reward model, without gradients, {@code batchSize} at a time. Sequences are batched
 * in order of length so that little is padding; the rewards come back in the given order. Padding does not change a
 * reward (it is read at the last real token), so batching is invisible in the result.
 */
public final class RewardScorer {
    private final RewardModel rm;
    private final long padId;
    private final int batchSize;

    public RewardScorer(RewardModel rm, long padId, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        this.rm = rm;
        this.padId = padId;
        this.batchSize = batchSize;
    }

    /** One reward per sequence, in the order given. */
    public float[] score(List<long[]> sequences) {
        Integer[] order = IntStream.range(0, sequences.size()).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingInt(i -> sequences.get(i).length));
        float[] out = new float[sequences.size()];
        for (int from = 0; from < order.length; from += batchSize) {
            Integer[] rows = Arrays.copyOfRange(order, from, Math.min(from + batchSize, order.length));
            float[] rewards = scoreBatch(Arrays.stream(rows).map(sequences::get).toList());
            for (int r = 0; r < rows.length; r++) {
                out[rows[r]] = rewards[r];
            }
        }
        return out;
    }

    /** The rewards of one batch, right-padded to its longest sequence. */
    public float[] scoreBatch(List<long[]> rows) {
        int width = rows.stream().mapToInt(r -> r.length).max().orElse(0);
        long[][] ids = new long[rows.size()][width];
        long[][] mask = new long[rows.size()][width];
        for (int r = 0; r < rows.size(); r++) {
            long[] row = rows.get(r);
            if (row.length == 0) {
                throw new IllegalArgumentException("cannot score an empty sequence (row " + r + ")");
            }
            Arrays.fill(ids[r], padId);
            System.arraycopy(row, 0, ids[r], 0, row.length);
            Arrays.fill(mask[r], 0, row.length, 1L);
        }
        try (NDManager m = rm.languageModel().manager().newSubManager()) {
            return rm.rewards(m.create(ids), m.create(mask)).toFloatArray();
        }
    }
}
