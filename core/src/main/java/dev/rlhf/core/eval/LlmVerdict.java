package dev.rlhf.core.eval;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An LLM judge's decision on one prompt, asked twice to cancel position bias: once with the baseline's answer as A
 * ({@code inOrder}), once with the candidate's as A ({@code swapped}). Both say the same: that outcome; they disagree
 * (the judge preferred a position, not an answer): a tie; either is unparseable: {@link Outcome#INVALID}.
 *
 * @param inOrder the verdict with A = baseline, B = candidate
 * @param swapped the verdict with A = candidate, B = baseline
 * @param rawInOrder the judge's text behind {@code inOrder}
 * @param rawSwapped the judge's text behind {@code swapped}
 */
public record LlmVerdict(
        @JsonProperty("in_order") Verdict inOrder,
        Verdict swapped,
        @JsonProperty("raw_in_order") String rawInOrder,
        @JsonProperty("raw_swapped") String rawSwapped) {

    /** The two texts of a judge, parsed. */
    public static LlmVerdict of(String rawInOrder, String rawSwapped) {
        return new LlmVerdict(Verdict.parse(rawInOrder), Verdict.parse(rawSwapped), rawInOrder, rawSwapped);
    }

    /** The candidate's outcome. */
    @JsonProperty("outcome")
    public Outcome outcome() {
        Outcome first = candidateSide(inOrder, Verdict.B);
        Outcome second = candidateSide(swapped, Verdict.A);
        if (first == Outcome.INVALID || second == Outcome.INVALID) {
            return Outcome.INVALID;
        }
        return first == second ? first : Outcome.TIE;
    }

    /** True when the two orders disagreed (a position-biased judge); such a prompt counts as a tie. */
    @JsonProperty("inconsistent")
    public boolean inconsistent() {
        Outcome first = candidateSide(inOrder, Verdict.B);
        Outcome second = candidateSide(swapped, Verdict.A);
        return first != Outcome.INVALID && second != Outcome.INVALID && first != second;
    }

    private static Outcome candidateSide(Verdict verdict, Verdict candidateLetter) {
        return switch (verdict) {
            case INVALID -> Outcome.INVALID;
            case TIE -> Outcome.TIE;
            default -> verdict == candidateLetter ? Outcome.WIN : Outcome.LOSS;
        };
    }
}
