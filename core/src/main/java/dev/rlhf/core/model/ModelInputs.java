package dev.rlhf.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * What a forward pass over whole sequences needs: ids (B, T), positions (B, T) and the additive attention bias (B, 1,
 * T, T).
 *
 * <p>A block's {@code NDList} input is either (ids, padding mask), from which positions and a causal bias follow, or
 * (ids, positions, bias) when the caller built them itself, as packing does.
 */
public record ModelInputs(NDArray ids, NDArray positions, NDArray bias) {

    public static ModelInputs of(NDList inputs) {
        return of(inputs, null);
    }

    /** As {@link #of(NDList)}, the causal part of the bias sliced from a model's tables when given. */
    static ModelInputs of(NDList inputs, PositionTables tables) {
        return switch (inputs.size()) {
            case 2 -> fromPaddingMask(inputs.get(0), inputs.get(1), tables);
            case 3 -> new ModelInputs(inputs.get(0), inputs.get(1), inputs.get(2));
            default ->
                throw new IllegalArgumentException(
                        "expected (ids, mask) or (ids, positions, bias), got " + inputs.size() + " arrays");
        };
    }

    public static ModelInputs fromPaddingMask(NDArray ids, NDArray mask) {
        return fromPaddingMask(ids, mask, null);
    }

    static ModelInputs fromPaddingMask(NDArray ids, NDArray mask, PositionTables tables) {
        long length = ids.getShape().get(1);
        NDArray bias = tables == null
                ? AttentionMask.causalBias(mask, length)
                : AttentionMask.withPadding(tables.causalBias(length, length, mask.getManager()), mask);
        return new ModelInputs(ids, AttentionMask.positions(mask), bias);
    }
}
