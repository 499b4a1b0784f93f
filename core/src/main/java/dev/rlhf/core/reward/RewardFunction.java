package dev.rlhf.core.reward;

/**
 * A rule-based ("verifiable") reward: a number computed from the prompt, the response text and the reference answer,
 * with no model. The sources are {@link ExactMatch}, {@link RegexFormat}, {@link LengthPenalty} and their weighted sum,
 * {@link WeightedReward}. Implementations are pure and thread-safe, so one instance scores every rollout of a job.
 */
public interface RewardFunction {

    /** The source's name in configs and metrics: {@code exact_match}, {@code regex_format}, ... */
    String name();

    /**
     * The reward of one response.
     *
     * @throws IllegalArgumentException when the source needs the reference answer and the input has none
     */
    double score(RewardInput input);

    /** True when {@link #score} needs {@link RewardInput#answer()}: a job checks its prompts before any model loads. */
    default boolean needsAnswer() {
        return false;
    }
}
