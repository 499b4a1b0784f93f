package dev.rlhf.core.ppo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** REINFORCE++ returns and their batch normalisation, by hand on five real tokens. */
class ReinforcePlusPlusTest {

    // row 0: r = (-0.1, 0, 1), three real tokens; row 1: r = (0.2, 0.5, junk 9) with the last one padding
    private static NDArray rewards(NDManager m) {
        return m.create(new float[] {-0.1f, 0, 1, 0.2f, 0.5f, 9}, new Shape(2, 3));
    }

    private static NDArray mask(NDManager m) {
        return m.create(new long[] {1, 1, 1, 1, 1, 0}, new Shape(2, 3));
    }

    @Test
    void undiscountedReturnsNormalisedOverRealTokens() {
        try (NDManager m = NDManager.newBaseManager()) {
            // gamma 1: G = (0.9, 1, 1 | 0.7, 0.5, pad); mean 4.1 / 5 = 0.82
            // deviations (0.08, 0.18, 0.18, -0.12, -0.32); biased variance 0.188 / 5 = 0.0376
            ReinforcePlusPlus.Result result = ReinforcePlusPlus.compute(rewards(m), mask(m), 1.0);
            assertArrayEquals(
                    new float[] {0.9f, 1, 1, 0.7f, 0.5f, 0}, result.returns().toFloatArray(), 1e-6f);
            float std = (float) Math.sqrt(0.0376);
            float[] expected = {0.08f / std, 0.18f / std, 0.18f / std, -0.12f / std, -0.32f / std, 0};
            assertArrayEquals(expected, result.advantages().toFloatArray(), 1e-5f);
            assertEquals(0f, Masked.meanValue(result.advantages(), mask(m)), 1e-6f);
        }
    }

    @Test
    void discountedReturns() {
        try (NDManager m = NDManager.newBaseManager()) {
            // gamma 0.5: row 0 G_2 = 1, G_1 = 0 + 0.5 * 1 = 0.5, G_0 = -0.1 + 0.5 * 0.5 = 0.15; row 1 G_1 = 0.5,
            // G_0 = 0.2 + 0.25 = 0.45
            ReinforcePlusPlus.Result result = ReinforcePlusPlus.compute(rewards(m), mask(m), 0.5);
            assertArrayEquals(
                    new float[] {0.15f, 0.5f, 1, 0.45f, 0.5f, 0},
                    result.returns().toFloatArray(),
                    1e-6f);
        }
    }

    @Test
    void theKlPenaltyIsInTheReward() {
        try (NDManager m = NDManager.newBaseManager()) {
            // scores (1, 0.5), k1 = (1, 0, 0 | -2, 0, junk), klCoef 0.1: per-token rewards (-0.1, 0, 1 | 0.2, 0.5, 0),
            // the rows of the hand example above, so the returns are the same
            NDArray k1 = m.create(new float[] {1, 0, 0, -2, 0, 7}, new Shape(2, 3));
            ReinforcePlusPlus.Result result =
                    ReinforcePlusPlus.compute(m.create(new float[] {1, 0.5f}), k1, mask(m), 0.1, 1.0);
            assertArrayEquals(
                    new float[] {0.9f, 1, 1, 0.7f, 0.5f, 0}, result.returns().toFloatArray(), 1e-6f);
        }
    }

    @Test
    void aConstantBatchGivesZeroNotNaN() {
        try (NDManager m = NDManager.newBaseManager()) {
            // one token per row, equal rewards: variance 0 is clamped to 1e-8, (G - mean) = 0
            ReinforcePlusPlus.Result result = ReinforcePlusPlus.compute(
                    m.create(new float[] {2, 2}, new Shape(2, 1)), m.ones(new Shape(2, 1)), 1);
            assertArrayEquals(new float[] {0, 0}, result.advantages().toFloatArray(), 0f);
        }
    }

    @Test
    void rejectsAGammaOutsideZeroOne() {
        try (NDManager m = NDManager.newBaseManager()) {
            assertThrows(IllegalArgumentException.class, () -> ReinforcePlusPlus.compute(rewards(m), mask(m), 1.5));
        }
    }
}
