package dev.rlhf.core.eval;

/** A judge's decision on one prompt, from the candidate's side of a (baseline, candidate) comparison. */
public enum Outcome {
    /** The candidate's answer is better. */
    WIN,
    TIE,
    /** The baseline's answer is better. */
    LOSS,
    /** The judge gave no usable verdict (unparseable text); counted and reported, never as a tie. */
    INVALID;

    /** The same decision seen from the other model's side. */
    public Outcome flipped() {
        return switch (this) {
            case WIN -> LOSS;
            case LOSS -> WIN;
            case TIE, INVALID -> this;
        };
    }
}
