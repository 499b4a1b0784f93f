package dev.rlhf.core.reward;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Several reward sources combined, as TRL's {@code reward_weights}:
 *
 * <pre>
 *   reward = sum_i weight_i * source_i(prompt, response, answer)
 * </pre>
 *
 * A weight may be negative (a source counted as a penalty) but must be finite; {@link #components} gives each
 * source's unweighted reward for the metrics ({@code rewards/exact_match}, ...).
 */
public final class WeightedReward implements RewardFunction {

    /** One source and its weight. */
    public record Source(RewardFunction function, double weight) {

        public Source {
            Objects.requireNonNull(function, "function");
        }
    }

    private final List<Source> sources;

    /** @throws IllegalArgumentException naming {@code rewards[i].weight} for a weight that is not finite */
    public WeightedReward(List<Source> sources) {
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("rewards: needs at least one source");
        }
        for (int i = 0; i < sources.size(); i++) {
            double weight = sources.get(i).weight();
            if (!Double.isFinite(weight)) {
                throw new IllegalArgumentException("rewards[" + i + "].weight: must be a finite number, got " + weight
                        + " (" + sources.get(i).function().name() + ")");
            }
        }
        this.sources = List.copyOf(sources);
    }

    @Override
    public String name() {
        return "weighted";
    }

    @Override
    public boolean needsAnswer() {
        return sources.stream().anyMatch(s -> s.function().needsAnswer());
    }

    @Override
    public double score(RewardInput input) {
        double total = 0;
        for (Source source : sources) {
            total += source.weight() * source.function().score(input);
        }
        return total;
    }

    /** Each source's unweighted reward by name, in order (a name used twice gets a suffix {@code _1}, ...). */
    public Map<String, Double> components(RewardInput input) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Source source : sources) {
            String name = source.function().name();
            for (int n = 1; out.containsKey(name); n++) {
                name = source.function().name() + "_" + n;
            }
            out.put(name, source.function().score(input));
        }
        return out;
    }
}
