package dev.rlhf.core.rollout;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import dev.rlhf.core.model.CausalLm;
import dev.rlhf.core.model.LogProbs;
import dev.rlhf.core.model.RewardModel;

/**
 * The quantities PPO reads off the models for the response tokens of a {@link RolloutTensors} batch, each (B, T): the
 * policy's log-probs, the critic's values (the value of the state before each response token), and the policy's
 * logits when the entropy is wanted.
 */
public final class PolicyScores {

    private PolicyScores() {}

    /** Log-probs (B, T) of the response tokens under {@code policy}; with gradients when {@code training}. */
    public static NDArray logprobs(CausalLm policy, ParameterStore ps, RolloutTensors batch, boolean training) {
        return logprobsAndLogits(policy, ps, batch, training).get(0);
    }

    /**
     * (log-probs (B, T), response logits (B, T, V)) in one forward pass, the head applied to the T columns that
     * predict response tokens only (columns [P-1, P-1+T), see {@link RolloutTensors}).
     */
    public static NDList logprobsAndLogits(CausalLm policy, ParameterStore ps, RolloutTensors batch, boolean training) {
        long from = batch.promptLength() - 1;
        NDArray logits = policy.logits(
                ps, new NDList(batch.ids(), batch.mask()), from, from + batch.responseLength(), training); // (B, T, V)
        return new NDList(LogProbs.gather(logits, batch.responseIds()), logits);
    }

    /** Values (B, T): the critic at the column before each response token. */
    public static NDArray values(RewardModel critic, ParameterStore ps, RolloutTensors batch, boolean training) {
        return batch.responseSlice(critic.values(ps, batch.ids(), batch.mask(), training));
    }
}
