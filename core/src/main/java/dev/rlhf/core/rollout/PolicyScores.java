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

    /** (log-probs (B, T), response logits (B, T, V)) in one forward pass. */
    public static NDList logprobsAndLogits(CausalLm policy, ParameterStore ps, RolloutTensors batch, boolean training) {
        NDArray logits = policy.forward(ps, new NDList(batch.ids(), batch.mask()), training)
                .singletonOrThrow(); // (B, S, V)
        NDArray perColumn = LogProbs.ofNextTokens(logits, batch.ids()); // (B, S-1)
        NDArray responseLogits = batch.responseSlice(logits); // (B, T, V)
        return new NDList(batch.responseSlice(perColumn), responseLogits);
    }

    /** Values (B, T): the critic at the column before each response token. */
    public static NDArray values(RewardModel critic, ParameterStore ps, RolloutTensors batch, boolean training) {
        return batch.responseSlice(critic.values(ps, batch.ids(), batch.mask(), training));
    }
}
