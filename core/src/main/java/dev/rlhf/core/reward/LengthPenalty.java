package dev.rlhf.core.reward;

import java.util.function.ToIntFunction;

/**
 * {@code length_penalty}: a penalty for every unit of the response beyond a target length, 0 up to it.
 *
 * <pre>
 *   reward = -penalty * max(0, length(response) - targetLength)
 * </pre>
 *
 * The length is counted in {@link Unit#CHARACTERS} (Unicode code points, so "é" or an emoji is one) or in
 * {@link Unit#TOKENS} of the policy's tokenizer, given as a counting function.
 */
public final class LengthPenalty implements RewardFunction {

    /** What the length counts. */
    public enum Unit {
        CHARACTERS,
        TOKENS
    }

    /**
     * @param unit what the length counts
     * @param targetLength the length from which the penalty starts, >= 0
     * @param penalty subtracted per unit beyond the target, finite and >= 0
     */
    public record Settings(Unit unit, int targetLength, double penalty) {

        public Settings {
            if (unit == null) {
                throw new IllegalArgumentException("length_penalty.unit: must be characters or tokens");
            }
            if (targetLength < 0) {
                throw new IllegalArgumentException("length_penalty.target_length: must be >= 0, got " + targetLength);
            }
            if (!(penalty >= 0) || Double.isInfinite(penalty)) {
                throw new IllegalArgumentException("length_penalty.penalty: must be finite and >= 0, got " + penalty);
            }
        }
    }

    private final Settings settings;
    private final ToIntFunction<String> length;

    private LengthPenalty(Settings settings, ToIntFunction<String> length) {
        this.settings = settings;
        this.length = length;
    }

    /** Counting characters (code points); {@code settings.unit()} must be {@link Unit#CHARACTERS}. */
    public static LengthPenalty characters(Settings settings) {
        if (settings.unit() != Unit.CHARACTERS) {
            throw new IllegalArgumentException("length_penalty.unit: tokens needs the policy's tokenizer to count");
        }
        return new LengthPenalty(settings, text -> text.codePointCount(0, text.length()));
    }

    /** Counting tokens with {@code tokenCount} (the policy tokenizer's encode, without special tokens). */
    public static LengthPenalty tokens(Settings settings, ToIntFunction<String> tokenCount) {
        if (settings.unit() != Unit.TOKENS) {
            throw new IllegalArgumentException("length_penalty.unit: characters needs no tokenizer; use characters()");
        }
        return new LengthPenalty(settings, tokenCount);
    }

    @Override
    public String name() {
        return "length_penalty";
    }

    @Override
    public double score(RewardInput input) {
        int excess = length.applyAsInt(input.response()) - settings.targetLength();
        return excess > 0 ? -settings.penalty() * excess : 0;
    }
}
