package dev.rlhf.core.ppo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.rlhf.core.rollout.RolloutTensors;

/**
 * The rows of an iteration's tensors that one gradient step trains on; every array (b, T) or (b, S). {@code oldValues}
 * and {@code returns} are null for the critic-free algorithms, {@code tisWeights} (the truncated importance-sampling
 * weights of stale rollouts) null for an on-policy batch.
 */
record Minibatch(
        RolloutTensors tensors,
        NDArray oldLogp,
        NDArray refLogp,
        NDArray oldValues,
        NDArray advantages,
        NDArray returns,
        NDArray tisWeights) {

    /** The given rows, with the iteration's padding (so columns keep their meaning). */
    Minibatch rows(NDManager m, int[] rows) {
        NDArray index = m.create(rows);
        RolloutTensors t = new RolloutTensors(
                pick(tensors.ids(), index),
                pick(tensors.mask(), index),
                pick(tensors.responseMask(), index),
                tensors.promptLength(),
                tensors.responseLength());
        return new Minibatch(
                t,
                pick(oldLogp, index),
                pick(refLogp, index),
                pick(oldValues, index),
                pick(advantages, index),
                pick(returns, index),
                pick(tisWeights, index));
    }

    private static NDArray pick(NDArray x, NDArray rows) {
        return x == null ? null : x.get(rows); // rows along axis 0
    }
}
