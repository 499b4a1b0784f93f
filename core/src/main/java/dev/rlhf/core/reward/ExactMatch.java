package dev.rlhf.core.reward;

import java.util.Optional;

/**
 * {@code exact_match}: 1 when the answer after the marker equals the reference answer ({@link Answers}), else 0. A
 * response without the marker, or with nothing after it, scores 0.
 */
public final class ExactMatch implements RewardFunction {

    /** @param marker what precedes the answer, e.g. {@code "Answer:"} or {@code "####"}; the last occurrence counts */
    public record Settings(String marker) {

        public Settings {
            if (marker == null || marker.isBlank()) {
                throw new IllegalArgumentException(
                        "exact_match.marker: must be a non-blank string, got '" + marker + "'");
            }
        }
    }

    private final Settings settings;

    public ExactMatch(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "exact_match";
    }

    @Override
    public boolean needsAnswer() {
        return true;
    }

    @Override
    public double score(RewardInput input) {
        String reference = input.answer()
                .orElseThrow(() -> new IllegalArgumentException(
                        "exact_match needs the reference answer, and the prompt has no 'answer' field: "
                                + input.prompt()));
        Optional<String> answer = Answers.extract(input.response(), settings.marker());
        return answer.isPresent() && Answers.same(answer.get(), reference) ? 1 : 0;
    }
}
