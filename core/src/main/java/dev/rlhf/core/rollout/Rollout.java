package dev.rlhf.core.rollout;

/**
 * One rollout as the learner trains on it: the prompt, the sampled response, the policy's log-probs of the response
 * tokens when it sampled them ({@code oldLogprobs}), the reference model's ({@code refLogprobs}), and the raw reward
 * of the whole response from each of the job's reward sources, in config order ({@code rewards}; the learner weighs
 * and sums them). Arrays over response tokens have the response's length.
 *
 * @param iteration the PPO iteration the rollout was made for
 * @param index its index within the iteration
 * @param policyVersion the policy version that sampled it
 */
public record Rollout(
        long iteration,
        int index,
        long policyVersion,
        long[] promptIds,
        long[] responseIds,
        float[] oldLogprobs,
        float[] refLogprobs,
        float[] rewards) {

    public Rollout {
        if (responseIds.length == 0) {
            throw new IllegalArgumentException("rollout " + iteration + ":" + index + " has an empty response");
        }
        if (oldLogprobs.length != responseIds.length || refLogprobs.length != responseIds.length) {
            throw new IllegalArgumentException("rollout " + iteration + ":" + index + ": " + responseIds.length
                    + " response tokens but " + oldLogprobs.length + " policy and " + refLogprobs.length
                    + " reference log-probs");
        }
    }

    public int responseLength() {
        return responseIds.length;
    }
}
