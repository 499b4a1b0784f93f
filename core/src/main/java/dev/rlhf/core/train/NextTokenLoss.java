package dev.rlhf.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;
import dev.rlhf.core.model.CausalLm;
import dev.rlhf.core.model.LogProbs;

/**
 * Causal language-model loss: the mean over target tokens of {@code -log p(ids[i+1] | ids[0..i])}.
 *
 * <p>Labels are (ids (B, T), loss mask (B, T)); the mask marks which tokens are targets (1) or context only (0): the
 * prompt in SFT, padding everywhere. Position 0 is never a target. Predictions are the next-token logits (B, T-1, V)
 * of {@link CausalLm#nextTokenLogits}: the head's output at positions 0..T-2 only, contiguous, so neither the forward
 * nor the backward slices a (B, T, V) array.
 */
public final class NextTokenLoss extends Loss {

    public NextTokenLoss() {
        super("next_token_nll");
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray ids = labels.get(0);
        NDArray logits = predictions.singletonOrThrow(); // (B, T-1, V)
        long length = ids.getShape().get(1);
        if (logits.getShape().get(1) != length - 1) {
            throw new IllegalArgumentException("next-token logits must cover T-1 = " + (length - 1)
                    + " positions (CausalLm.nextTokenLogits), got " + logits.getShape());
        }
        NDArray mask = labels.get(1).get(new NDIndex(":, 1:")).toType(DataType.FLOAT32, false); // (B, T-1)
        NDArray logp = LogProbs.gather(logits, LogProbs.targets(ids)); // (B, T-1)
        return logp.mul(mask).sum().neg().div(mask.sum().maximum(1f));
    }
}
