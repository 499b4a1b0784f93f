package dev.rlhf.core.ppo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/** The clipped surrogate on hand-worked tokens, and its gradient against the analytic one. */
class PpoLossTest {

    private static final float LOG_1_5 = (float) Math.log(1.5);
    private static final float LOG_0_5 = (float) Math.log(0.5);

    @Test
    void bothTokensTakeTheClippedBranch() {
        try (NDManager m = NDManager.newBaseManager()) {
            // ratio = (1.5, 0.5); pgLoss = (-1.5, 0.5); clip(ratio) = (1.2, 0.8), pgLossClipped = (-1.2, 0.8)
            // max = (-1.2, 0.8) -> loss -0.2; the clipped branch is larger on both tokens -> clipFrac 1
            PpoLoss.Result result = PpoLoss.compute(
                    m.create(new float[] {LOG_1_5, LOG_0_5}, new Shape(1, 2)),
                    m.zeros(new Shape(1, 2)),
                    m.create(new float[] {1, -1}, new Shape(1, 2)),
                    m.ones(new Shape(1, 2)),
                    0.2);
            assertEquals(-0.2f, result.loss().getFloat(), 1e-6f);
            assertEquals(1f, result.clipFrac(), 1e-6f);
            double expectedKl = 0.5 * (Math.pow(Math.log(1.5), 2) + Math.pow(Math.log(0.5), 2)) / 2;
            assertEquals(expectedKl, result.approxKl(), 1e-6);
        }
    }

    @Test
    void unclippedAndPaddedTokensCountAsTheyShould() {
        try (NDManager m = NDManager.newBaseManager()) {
            // tokens: (A, ratio) = (1, 1.5) clipped -> -1.2; (-1, 0.5) clipped -> 0.8; (2, 1.1) inside -> -2.2;
            // (1, 0.5) outside the range but the unclipped -0.5 is the larger -> -0.5, not counted in clipFrac;
            // the fifth token is padding with junk.
            float log11 = (float) Math.log(1.1);
            PpoLoss.Result result = PpoLoss.compute(
                    m.create(new float[] {LOG_1_5, LOG_0_5, log11, LOG_0_5, 3}, new Shape(1, 5)),
                    m.zeros(new Shape(1, 5)),
                    m.create(new float[] {1, -1, 2, 1, 7}, new Shape(1, 5)),
                    m.create(new float[] {1, 1, 1, 1, 0}, new Shape(1, 5)),
                    0.2);
            assertEquals(-3.1f / 4, result.loss().getFloat(), 1e-6f);
            assertEquals(0.5f, result.clipFrac(), 1e-6f);
            double squares = Math.pow(Math.log(1.5), 2) + 2 * Math.pow(Math.log(0.5), 2) + Math.pow(Math.log(1.1), 2);
            assertEquals(0.5 * squares / 4, result.approxKl(), 1e-6);
        }
    }

    @Test
    void gradientIsMinusAdvantageTimesRatioOverNOnUnclippedTokens() {
        try (NDManager m = NDManager.newBaseManager()) {
            // n = 4 real tokens; the first three stay inside [0.8, 1.2]; the fourth (ratio 1.5, A = 1) is clipped
            // and gets no gradient; the fifth is padding.
            float[] logpValues = {0.1f, -0.05f, 0f, LOG_1_5, 0.3f};
            float[] a = {0.5f, -2f, 1f, 1f, 3f};
            NDArray logp = m.create(logpValues, new Shape(1, 5));
            logp.setRequiresGradient(true);
            float clipFrac;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                PpoLoss.Result result = PpoLoss.compute(
                        logp,
                        m.zeros(new Shape(1, 5)),
                        m.create(a, new Shape(1, 5)),
                        m.create(new float[] {1, 1, 1, 1, 0}, new Shape(1, 5)),
                        0.2);
                gc.backward(result.loss());
                clipFrac = result.clipFrac();
            }
            float[] expected = new float[5];
            for (int t = 0; t < 3; t++) {
                expected[t] = (float) (-a[t] * Math.exp(logpValues[t]) / 4);
            }
            assertArrayEquals(expected, logp.getGradient().toFloatArray(), 1e-6f);
            assertEquals(0.25f, clipFrac, 1e-6f);
        }
    }

    @Test
    void rejectsANonPositiveClipRange() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.zeros(new Shape(1, 1));
            assertThrows(IllegalArgumentException.class, () -> PpoLoss.compute(x, x, x, x, 0));
        }
    }
}
