package dev.rlhf.core.ppo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/** token_mean and seq_mean on a long row, a short row and an empty row. */
class LossAggregationTest {

    // row 0: 1, 2, 3, 6 (4 tokens); row 1: 10 then padding with junk; row 2: no real token
    private static NDArray loss(NDManager m) {
        return m.create(new float[] {1, 2, 3, 6, 10, 99, 99, 99, 5, 5, 5, 5}, new Shape(3, 4));
    }

    private static NDArray mask(NDManager m) {
        return m.create(new long[] {1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0}, new Shape(3, 4));
    }

    @Test
    void tokenMeanWeighsEveryTokenTheSame() {
        try (NDManager m = NDManager.newBaseManager()) {
            // (1 + 2 + 3 + 6 + 10) / 5 = 4.4
            assertEquals(
                    4.4f, LossAggregation.TOKEN_MEAN.aggregate(loss(m), mask(m)).getFloat(), 1e-6f);
        }
    }

    @Test
    void seqMeanWeighsEverySequenceTheSame() {
        try (NDManager m = NDManager.newBaseManager()) {
            // row means 12 / 4 = 3 and 10 / 1 = 10; the empty row is not a sequence: (3 + 10) / 2 = 6.5
            assertEquals(
                    6.5f, LossAggregation.SEQ_MEAN.aggregate(loss(m), mask(m)).getFloat(), 1e-6f);
        }
    }

    @Test
    void gradientsFollowTheWeights() {
        // seq_mean: d/d loss[b, t] = 1 / (B' L_b) = 1/8 on row 0, 1/2 on row 1; token_mean: 1/5 on every real token
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray loss = loss(m);
            loss.setRequiresGradient(true);
            try (GradientCollector collector = m.getEngine().newGradientCollector()) {
                collector.backward(LossAggregation.SEQ_MEAN.aggregate(loss, mask(m)));
            }
            float e = 0.125f;
            assertArrayEquals(
                    new float[] {e, e, e, e, 0.5f, 0, 0, 0, 0, 0, 0, 0},
                    loss.getGradient().toFloatArray(),
                    1e-6f);
            NDArray again = loss(m);
            again.setRequiresGradient(true);
            try (GradientCollector collector = m.getEngine().newGradientCollector()) {
                collector.backward(LossAggregation.TOKEN_MEAN.aggregate(again, mask(m)));
            }
            float f = 0.2f;
            assertArrayEquals(
                    new float[] {f, f, f, f, f, 0, 0, 0, 0, 0, 0, 0},
                    again.getGradient().toFloatArray(),
                    1e-6f);
        }
    }

    @Test
    void noRealTokenGivesZero() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray none = m.zeros(new Shape(3, 4));
            assertEquals(0f, LossAggregation.SEQ_MEAN.aggregate(loss(m), none).getFloat());
            assertEquals(0f, LossAggregation.TOKEN_MEAN.aggregate(loss(m), none).getFloat());
        }
    }

    @Test
    void namesAreTheConfigValues() {
        assertEquals(LossAggregation.SEQ_MEAN, LossAggregation.of("seq_mean"));
        assertEquals("token_mean", LossAggregation.TOKEN_MEAN.configName());
        assertThrows(IllegalArgumentException.class, () -> LossAggregation.of("sum"));
    }
}
