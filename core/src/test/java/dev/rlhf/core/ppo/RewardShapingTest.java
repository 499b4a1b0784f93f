package dev.rlhf.core.ppo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** Scores normalised, clipped and length-penalised, placed on the last real token under a per-token KL penalty. */
class RewardShapingTest {

    // RM mean 1, std 2, clip 3, length penalty 0.1; response lengths 2 and 3:
    //   rm = 3   -> (3 - 1) / 2 = 1          -> 1 - 0.1 * 2 = 0.8
    //   rm = -10 -> -5.5, clipped to -3       -> -3 - 0.1 * 3 = -3.3
    private static final RewardShaping.Settings SETTINGS = new RewardShaping.Settings(1, 2, 3, 0.1);

    private static NDArray mask(NDManager m) {
        return m.create(new long[] {1, 1, 0, 1, 1, 1}, new Shape(2, 3));
    }

    @Test
    void scoresAreNormalisedClippedAndLengthPenalised() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray scores = RewardShaping.scores(m.create(new float[] {3, -10}), mask(m), SETTINGS);
            assertArrayEquals(new float[] {0.8f, -3.3f}, scores.toFloatArray(), 1e-6f);
            NDArray raw = RewardShaping.scores(m.create(new float[] {3, -10}), mask(m), RewardShaping.Settings.raw());
            assertArrayEquals(new float[] {3, -10}, raw.toFloatArray());
        }
    }

    @Test
    void klPenaltyEverywhereAndScoreAtTheLastRealToken() {
        try (NDManager m = NDManager.newBaseManager()) {
            // k1 = logp - refLogp with refLogp = 0; kl coef 0.1; the padded k1 of 9 must not show
            NDArray logp = m.create(new float[] {0.5f, -0.2f, 9, 0.1f, 0, 0.3f}, new Shape(2, 3));
            NDArray k1 = KlEstimators.k1(logp, m.zeros(new Shape(2, 3)), mask(m));
            NDArray scores = RewardShaping.scores(m.create(new float[] {3, -10}), mask(m), SETTINGS);
            NDArray rewards = RewardShaping.perToken(scores, k1, mask(m), 0.1);
            float[] expected = {-0.05f, 0.02f + 0.8f, 0, -0.01f, 0, -0.03f - 3.3f};
            assertArrayEquals(expected, rewards.toFloatArray(), 1e-6f);
        }
    }

    @Test
    void lastRealTokenHoldsForAnyPaddingSide() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray mask = m.create(new float[] {0, 1, 1, 1, 0, 0, 0, 0, 0}, new Shape(3, 3));
            assertArrayEquals(
                    new float[] {0, 0, 1, 1, 0, 0, 0, 0, 0},
                    RewardShaping.lastRealToken(mask).toFloatArray());
        }
    }

    @Test
    void rejectsANonPositiveStd() {
        assertThrows(IllegalArgumentException.class, () -> new RewardShaping.Settings(0, 0, 1, 0));
    }
}
