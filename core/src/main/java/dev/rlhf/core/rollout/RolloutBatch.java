package dev.rlhf.core.rollout;

import java.util.List;

/**
 * A worker batch's rollouts and where its time went: {@code generateSeconds} sampling the responses and computing the
 * policy's log-probs, {@code scoreSeconds} waiting for the reference log-probs and the rewards.
 */
public record RolloutBatch(List<Rollout> rollouts, double generateSeconds, double scoreSeconds) {

    public RolloutBatch {
        rollouts = List.copyOf(rollouts);
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
