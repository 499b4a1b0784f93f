package dev.rlhf.core.data;

/**
 * One example per row (B, T), right-padded with the pad id to the longest row of the batch.
 *
 * @param ids token ids (B, T)
 * @param paddingMask 1 on real tokens, 0 on padding (B, T)
 * @param lossMask 1 on training targets, 0 elsewhere (B, T)
 */
public record Batch(long[][] ids, long[][] paddingMask, long[][] lossMask) implements TokenBatch {}
