package dev.rlhf.core.eval;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One model's answers in figures.
 *
 * @param name the models entry's name
 * @param path its directory
 * @param meanReward the reward model's mean score of its answers; NaN without a reward-model judge
 * @param meanKl the mean KL of its answers to the reference; NaN without a reference
 * @param meanChars the mean answer length in characters (a judge's length bias shows here)
 */
public record ModelSummary(
        String name,
        String path,
        @JsonProperty("mean_reward") double meanReward,
        @JsonProperty("mean_kl") double meanKl,
        @JsonProperty("mean_chars") double meanChars) {

    static ModelSummary of(EvalConfig.ModelEntry model, List<Answer> answers, double[] rewards) {
        return new ModelSummary(
                model.name(),
                model.path().toString(),
                rewards == null
                        ? Double.NaN
                        : java.util.Arrays.stream(rewards).average().orElse(Double.NaN),
                answers.stream().mapToDouble(Answer::kl).average().orElse(Double.NaN),
                answers.stream().mapToInt(a -> a.response().length()).average().orElse(Double.NaN));
    }
}
