package dev.rlhf.core.rollout;

import java.util.List;

/**
 * A worker batch's rollouts and where its time went: {@code generateSeconds} sampling the responses and computing the
 * policy's log-probs, {@code scoreSeconds} waiting for the reference log-probs and the rewards. Prompts whose rewards
 * could not be computed (a reward source timed out or failed) are in {@code failed} instead.
 */
public record RolloutBatch(List<Rollout> rollouts, List<Failed> failed, double generateSeconds, double scoreSeconds) {

    /** A prompt that got no rollout, and why. */
    public record Failed(long iteration, int index, long policyVersion, String reason) {}

    public RolloutBatch {
        rollouts = List.copyOf(rollouts);
        failed = List.copyOf(failed);
    }

    /** One rollout's share of the generation time. */
    public double generateSecondsEach() {
        return rollouts.isEmpty() ? 0 : generateSeconds / rollouts.size();
    }

    /** One rollout's share of the scoring time. */
    public double scoreSecondsEach() {
        return rollouts.isEmpty() ? 0 : scoreSeconds / rollouts.size();
    }
}
