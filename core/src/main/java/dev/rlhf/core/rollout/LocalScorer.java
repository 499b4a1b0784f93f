package dev.rlhf.core.rollout;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.LogProbs;
import dev.rlhf.core.model.NoGrad;
import dev.rlhf.core.model.RewardModel;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Scorer} over models in this JVM, one sequence at a time: for evaluations that score a handful of samples
 * (a pipeline's before / after PPO comparison), where a gRPC server would be overhead. PPO's workers use
 * {@link V2Scorer}.
 */
public final class LocalScorer implements Scorer {

    private final LanguageModel reference;
    private final RewardModel rewardModel;

    public LocalScorer(LanguageModel reference, RewardModel rewardModel) {
        this.reference = reference;
        this.rewardModel = rewardModel;
    }

    @Override
    public List<float[]> referenceLogprobs(List<long[]> sequences) {
        List<float[]> out = new ArrayList<>();
        try (NoGrad noGrad = NoGrad.open();
                NDManager m = reference.manager().newSubManager()) {
            for (long[] sequence : sequences) {
                NDArray ids = m.create(new long[][] {sequence});
                NDList inputs = new NDList(ids, ids.onesLike());
                out.add(LogProbs.ofNextTokens(reference.block(), reference.inferenceStore(), inputs, false)
                        .toFloatArray());
            }
        }
        return out;
    }

    @Override
    public float[] rewards(List<long[]> sequences) {
        float[] out = new float[sequences.size()];
        try (NoGrad noGrad = NoGrad.open();
                NDManager m = rewardModel.languageModel().manager().newSubManager()) {
            for (int i = 0; i < out.length; i++) {
                NDArray ids = m.create(new long[][] {sequences.get(i)});
                out[i] = rewardModel.rewards(ids, ids.onesLike()).getFloat(0);
            }
        }
        return out;
    }
}
