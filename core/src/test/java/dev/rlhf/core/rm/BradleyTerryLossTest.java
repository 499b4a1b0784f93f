package dev.rlhf.core.rm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/** The pairwise loss against hand-computed values. */
class BradleyTerryLossTest {

    /** -log sigmoid(x) = log(1 + e^-x), computed the obvious way in double precision. */
    static double nll(double x) {
        return Math.log(1 + Math.exp(-x));
    }

    @Test
    void twoPairsWithKnownRewards() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray chosen = m.create(new float[] {1.0f, 0.5f});
            NDArray rejected = m.create(new float[] {0.0f, 1.5f});
            double expected = (Math.log(1 + Math.exp(-1)) + Math.log(1 + Math.exp(1))) / 2; // 0.8132617
            assertEquals(expected, BradleyTerryLoss.evaluate(chosen, rejected).getFloat(), 1e-6);
            assertEquals(0.8132617, expected, 1e-7);
        }
    }

    @Test
    void aMarginShiftsTheDifferenceByItself() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray chosen = m.create(new float[] {1.0f, 0.5f});
            NDArray rejected = m.create(new float[] {0.0f, 1.5f});
            NDArray margin = m.create(new float[] {0.5f, 2.0f});
            double expected = (nll(1.0 - 0.5) + nll(-1.0 - 2.0)) / 2;
            assertEquals(
                    expected,
                    BradleyTerryLoss.evaluate(chosen, rejected, margin).getFloat(),
                    1e-6);
            assertEquals(
                    BradleyTerryLoss.evaluate(chosen.sub(margin), rejected).getFloat(),
                    BradleyTerryLoss.evaluate(chosen, rejected, margin).getFloat(),
                    1e-6,
                    "a margin is the same as a chosen reward lower by it");
            assertEquals(
                    BradleyTerryLoss.evaluate(chosen, rejected).getFloat(),
                    BradleyTerryLoss.evaluate(chosen, rejected, m.zeros(margin.getShape()))
                            .getFloat(),
                    0f);
        }
    }

    @Test
    void staysFiniteAndExactForLargeDifferences() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray chosen = m.create(new float[] {100f, -100f});
            NDArray rejected = m.create(new float[] {0f, 0f});
            assertEquals(50.0, BradleyTerryLoss.evaluate(chosen, rejected).getFloat(), 1e-4); // (0 + 100) / 2
        }
    }

    @Test
    void gradientIsMinusOneMinusSigmoidOverP() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray chosen = m.create(new float[] {1.0f, 0.5f});
            NDArray rejected = m.create(new float[] {0.0f, 1.5f});
            chosen.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(BradleyTerryLoss.evaluate(chosen, rejected));
            }
            // d/dc_p mean_p log(1 + e^-(c_p - r_p)) = -sigmoid(-(c_p - r_p)) / P
            float[] expected = {(float) (-1 / (1 + Math.exp(1)) / 2), (float) (-1 / (1 + Math.exp(-1)) / 2)};
            assertArrayEquals(expected, chosen.getGradient().toFloatArray(), 1e-6f);
        }
    }
}
