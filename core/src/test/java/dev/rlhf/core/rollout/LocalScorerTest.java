package dev.rlhf.core.rollout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.LogProbs;
import dev.rlhf.core.model.RewardModel;
import dev.rlhf.core.model.TestModels;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The in-process scorer gives what the batched model calls give, one unpadded sequence at a time. */
class LocalScorerTest {

    @Test
    void scoresEachSequenceAsTheModelsDoAlone() {
        try (LanguageModel reference = LanguageModel.create(TestModels.tiny(30, 4, 2, true), 1);
                RewardModel rm = RewardModel.withNewHead(LanguageModel.create(TestModels.tiny(30, 4, 2, true), 2), 3);
                NDManager m = NDManager.newBaseManager()) {
            long[] a = {1, 5, 7, 9, 2};
            long[] b = {3, 4, 8};
            LocalScorer scorer = new LocalScorer(reference, rm);

            List<float[]> logprobs = scorer.referenceLogprobs(List.of(a, b));
            float[] rewards = scorer.rewards(List.of(a, b));

            assertEquals(a.length - 1, logprobs.get(0).length);
            assertEquals(b.length - 1, logprobs.get(1).length);
            for (int i = 0; i < 2; i++) {
                long[] ids = i == 0 ? a : b;
                NDArray batch = m.create(new long[][] {ids});
                NDArray logits = reference.logits(batch, batch.onesLike());
                assertArrayEquals(LogProbs.ofNextTokens(logits, batch).toFloatArray(), logprobs.get(i), 1e-5f);
                assertEquals(rm.rewards(batch, batch.onesLike()).getFloat(0), rewards[i], 1e-5f);
            }
        }
    }
}
