package dev.rlhf.core.reward;

import dev.rlhf.core.config.ConfigValueException;
import java.util.Locale;
import java.util.Optional;
import java.util.function.ToIntFunction;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One entry of an RL job's {@code rewards} list: a reward source and its weight. The job's score of a response is
 * {@code sum_i weight_i * source_i}, where the reward model's output is first normalised and clipped as before
 * ({@code scoring.reward_clip}) and a rule's reward is taken as it is. The keys after {@code weight} belong to one
 * source each; giving one to another source is an error, so a typo never silently does nothing.
 *
 * @param source what computes the reward
 * @param weight its weight in the sum; finite, may be negative
 * @param marker {@code exact_match}: the text before the answer (default {@code "Answer:"})
 * @param pattern {@code regex_format}: a Java regular expression the response must contain (or be, with full_match)
 * @param fullMatch {@code regex_format}: the whole response must match (default false)
 * @param unit {@code length_penalty}: characters or tokens (default tokens)
 * @param targetLength {@code length_penalty}: the length from which the penalty starts (required)
 * @param penalty {@code length_penalty}: subtracted per unit beyond the target (required)
 */
public record RewardSourceConfig(
        Source source,
        double weight,
        Optional<String> marker,
        Optional<String> pattern,
        Optional<Boolean> fullMatch,
        Optional<LengthPenalty.Unit> unit,
        Optional<Integer> targetLength,
        Optional<Double> penalty) {

    /** The sources a job can name. */
    public enum Source {
        /** The reward model ({@code policy.reward_model}), over KServe v2 like the reference model. */
        REWARD_MODEL,
        /** 1 when the answer after the marker equals the prompt's reference answer ({@link ExactMatch}). */
        EXACT_MATCH,
        /** 1 when the response matches a pattern ({@link RegexFormat}). */
        REGEX_FORMAT,
        /** A penalty per unit of length beyond a target ({@link LengthPenalty}). */
        LENGTH_PENALTY;

        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The default marker of {@code exact_match}. */
    public static final String DEFAULT_MARKER = "Answer:";

    public RewardSourceConfig {
        ConfigValueException.require(
                source != null,
                "source",
                "must be one of reward_model, exact_match," + " regex_format, length_penalty");
        ConfigValueException.require(Double.isFinite(weight), "weight", "must be a finite number, got " + weight);
        only(source, Source.EXACT_MATCH, "marker", marker);
        only(source, Source.REGEX_FORMAT, "pattern", pattern);
        only(source, Source.REGEX_FORMAT, "full_match", fullMatch);
        only(source, Source.LENGTH_PENALTY, "unit", unit);
        only(source, Source.LENGTH_PENALTY, "target_length", targetLength);
        only(source, Source.LENGTH_PENALTY, "penalty", penalty);
        marker.ifPresent(m -> ConfigValueException.require(!m.isBlank(), "marker", "must not be blank"));
        if (source == Source.REGEX_FORMAT) {
            ConfigValueException.require(pattern.isPresent(), "pattern", "regex_format needs a pattern");
            try {
                Pattern.compile(pattern.get());
            } catch (PatternSyntaxException e) {
                throw new ConfigValueException(
                        "pattern",
                        "not a valid regular expression: " + e.getDescription() + " near index " + e.getIndex()
                                + " of '" + pattern.get() + "'");
            }
        }
        if (source == Source.LENGTH_PENALTY) {
            ConfigValueException.require(
                    targetLength.isPresent(), "target_length", "length_penalty needs a target_length");
            ConfigValueException.require(penalty.isPresent(), "penalty", "length_penalty needs a penalty");
            ConfigValueException.nonNegative("target_length", targetLength.get());
            ConfigValueException.require(
                    penalty.get() >= 0 && Double.isFinite(penalty.get()),
                    "penalty",
                    "must be finite and >= 0, got " + penalty.get());
        }
    }

    /** The reward model with {@code weight}, no other keys. */
    public static RewardSourceConfig rewardModel(double weight) {
        return new RewardSourceConfig(
                Source.REWARD_MODEL,
                weight,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
    }

    private static void only(Source source, Source owner, String key, Optional<?> value) {
        ConfigValueException.require(
                value.isEmpty() || source == owner,
                key,
                "belongs to " + owner.configName() + ", not to " + source.configName());
    }

    /** The rule this entry describes; {@code tokenCount} counts a text's tokens (length_penalty in tokens). */
    public RewardFunction rule(ToIntFunction<String> tokenCount) {
        return switch (source) {
            case EXACT_MATCH -> new ExactMatch(new ExactMatch.Settings(marker.orElse(DEFAULT_MARKER)));
            case REGEX_FORMAT -> new RegexFormat(new RegexFormat.Settings(pattern.get(), fullMatch.orElse(false)));
            case LENGTH_PENALTY -> {
                LengthPenalty.Settings settings = new LengthPenalty.Settings(
                        unit.orElse(LengthPenalty.Unit.TOKENS), targetLength.get(), penalty.get());
                yield settings.unit() == LengthPenalty.Unit.TOKENS
                        ? LengthPenalty.tokens(settings, tokenCount)
                        : LengthPenalty.characters(settings);
            }
            case REWARD_MODEL -> throw new IllegalStateException("the reward model is not a rule");
        };
    }
}
