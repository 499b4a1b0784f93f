package dev.rlhf.core.rollout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.LogProbs;
import dev.rlhf.core.model.TestModels;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutTensorsTest {

    private static Rollout rollout(long[] prompt, long[] response) {
        float[] zeros = new float[response.length];
        return new Rollout(0, 0, 0, prompt, response, zeros, zeros, new float[] {0f});
    }

    @Test
    void responseLogprobsOfABatchEqualEachSequenceAlone() {
        List<Rollout> rollouts = List.of(
                rollout(new long[] {3, 4, 5}, new long[] {9, 8}),
                rollout(new long[] {7}, new long[] {1, 2, 3, 4}),
                rollout(new long[] {2, 2, 2, 2}, new long[] {5}));
        try (LanguageModel lm = LanguageModel.create(TestModels.qwen2(30), 3);
                NDManager m = lm.manager().newSubManager()) {
            RolloutTensors batch = RolloutTensors.of(m, rollouts);
            assertEquals(4, batch.promptLength());
            assertEquals(4, batch.responseLength());
            float[] batched = PolicyScores.logprobs(lm.block(), lm.inferenceStore(), batch, false)
                    .toFloatArray();
            float[] mask = batch.responseMask().toFloatArray();
            for (int i = 0; i < rollouts.size(); i++) {
                Rollout r = rollouts.get(i);
                long[] full = concat(r.promptIds(), r.responseIds());
                NDArray ids = m.create(full).reshape(1, full.length);
                NDArray ones = m.ones(ids.getShape(), ai.djl.ndarray.types.DataType.INT64);
                float[] all = LogProbs.ofNextTokens(lm.logits(ids, ones), ids).toFloatArray();
                float[] alone = Arrays.copyOfRange(all, r.promptIds().length - 1, all.length);
                float[] row = Arrays.copyOfRange(batched, i * 4, i * 4 + r.responseLength());
                assertArrayEquals(alone, row, 1e-5f, "rollout " + i);
                for (int j = 0; j < 4; j++) {
                    assertEquals(j < r.responseLength() ? 1f : 0f, mask[i * 4 + j]);
                }
            }
        }
    }

    private static long[] concat(long[] a, long[] b) {
        long[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
