package dev.rlhf.core.eval;

import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.rollout.LocalScorer;
import dev.rlhf.core.rollout.Scorer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The scorer an evaluation's {@link dev.rlhf.core.rollout.RolloutMaker} asks: the reference model's log-probs when
 * there is one (zeros otherwise, and the KL is not reported), and no reward (the reward-model judge scores the decoded
 * answers with the reward model's own tokenizer).
 */
final class ReferenceScorer implements Scorer {

    private final Optional<LocalScorer> reference;

    ReferenceScorer(Optional<LanguageModel> reference) {
        this.reference = reference.map(ref -> new LocalScorer(ref, null));
    }

    @Override
    public List<float[]> referenceLogprobs(List<long[]> sequences) {
        if (reference.isPresent()) {
            return reference.get().referenceLogprobs(sequences);
        }
        List<float[]> zeros = new ArrayList<>();
        sequences.forEach(s -> zeros.add(new float[Math.max(0, s.length - 1)]));
        return zeros;
    }

    @Override
    public float[] rewards(List<long[]> sequences) {
        return new float[sequences.size()];
    }
}
