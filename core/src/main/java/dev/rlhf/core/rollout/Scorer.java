package dev.rlhf.core.rollout;

import java.util.List;

/** The two models a rollout worker asks, wherever they run: the frozen reference and the reward model. */
public interface Scorer {

    /** For each sequence of L ids, the reference model's L - 1 next-token log-probs. */
    List<float[]> referenceLogprobs(List<long[]> sequences);

    /** The reward model's score of each sequence (its own chat layout, {@code ChatLayout}). */
    float[] rewards(List<long[]> sequences);
}
