package dev.rlhf.core.reward;

import dev.rlhf.core.config.ConfigValueException;
import dev.rlhf.core.reward.RewardSourceConfig.Source;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.ToIntFunction;

/**
 * A job's reward sources in config order, each with the name its metrics carry ({@code rewards/exact_match}; a
 * source named twice gets a suffix, {@code exact_match_1}) and its weight. A rollout carries one raw reward per source
 * in this order; the learner weighs and sums them ({@code RewardShaping}).
 */
public final class RewardSources {

    private final List<RewardSourceConfig> entries;
    private final List<String> names;

    private RewardSources(List<RewardSourceConfig> entries) {
        this.entries = List.copyOf(entries);
        List<String> unique = new ArrayList<>();
        for (RewardSourceConfig entry : entries) {
            String name = entry.source().configName();
            for (int n = 1; unique.contains(name); n++) {
                name = entry.source().configName() + "_" + n;
            }
            unique.add(name);
        }
        this.names = List.copyOf(unique);
    }

    /**
     * @throws ConfigValueException keyed {@code rewards} for an empty list or a second reward model
     */
    public static RewardSources of(List<RewardSourceConfig> entries) {
        ConfigValueException.require(!entries.isEmpty(), "rewards", "needs at least one source");
        long models =
                entries.stream().filter(e -> e.source() == Source.REWARD_MODEL).count();
        ConfigValueException.require(models <= 1, "rewards", "names reward_model " + models + " times; give it once");
        return new RewardSources(entries);
    }

    public int size() {
        return entries.size();
    }

    public List<String> names() {
        return names;
    }

    /** The sources' weights, in order. */
    public double[] weights() {
        return entries.stream().mapToDouble(RewardSourceConfig::weight).toArray();
    }

    /** {@code sum_k weight_k * rewards[k]}: a response's raw total, before the reward model's normalisation. */
    public double rawTotal(float[] rewards) {
        return weightedSum(weights(), rewards);
    }

    /** {@code sum_k weights[k] * rewards[k]}. */
    public static double weightedSum(double[] weights, float[] rewards) {
        if (rewards.length != weights.length) {
            throw new IllegalArgumentException(rewards.length + " rewards for " + weights.length + " sources");
        }
        double total = 0;
        for (int k = 0; k < weights.length; k++) {
            total += weights[k] * rewards[k];
        }
        return total;
    }

    /** The position of the reward model among the sources, if the job uses one. */
    public OptionalInt rewardModelIndex() {
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).source() == Source.REWARD_MODEL) {
                return OptionalInt.of(i);
            }
        }
        return OptionalInt.empty();
    }

    public boolean usesRewardModel() {
        return rewardModelIndex().isPresent();
    }

    /** The rule of each position (empty at the reward model's); {@code tokenCount} for token-counted lengths. */
    public List<Optional<RewardFunction>> rules(ToIntFunction<String> tokenCount) {
        return entries.stream()
                .map(e -> e.source() == Source.REWARD_MODEL
                        ? Optional.<RewardFunction>empty()
                        : Optional.of(e.rule(tokenCount)))
                .toList();
    }

    /** The index and name of the first source that compares with a reference answer, if any. */
    public Optional<String> firstNeedingAnswer() {
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).source() == Source.EXACT_MATCH) {
                return Optional.of("rewards." + i + " (" + names.get(i) + ")");
            }
        }
        return Optional.empty();
    }
}
