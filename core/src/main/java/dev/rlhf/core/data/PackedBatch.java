package dev.rlhf.core.data;

/**
 * Several examples per row, each row {@code seq_len} long (B, T). The model keeps the examples of a row apart with a
 * block-diagonal causal mask built from the segment ids ({@code AttentionMask.packedBias}), and gives each example the
 * positions it would have alone.
 *
 * <p>The loss mask is each example's own, except that the first token of every example is never a target: it would be
 * predicted from the end of the previous example, and in an unpacked row position 0 is never a target either. So the
 * packed loss is the sum of the unpacked ones.
 *
 * @param ids token ids (B, T); padding holds the pad id
 * @param segmentIds which example of its row each token belongs to, 0, 1, 2, ... (B, T); -1 on padding
 * @param positions each token's position within its example, restarting at 0 (B, T); 0 on padding
 * @param lossMask 1 on training targets (B, T)
 */
public record PackedBatch(long[][] ids, long[][] segmentIds, long[][] positions, long[][] lossMask)
        implements TokenBatch {

    /** 1 where the segment id is not -1. */
    @Override
    public long[][] paddingMask() {
        long[][] mask = new long[segmentIds.length][];
        for (int b = 0; b < segmentIds.length; b++) {
            mask[b] = new long[segmentIds[b].length];
            for (int t = 0; t < segmentIds[b].length; t++) {
                mask[b][t] = segmentIds[b][t] >= 0 ? 1 : 0;
            }
        }
        return mask;
    }
}
