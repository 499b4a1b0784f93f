package dev.rlhf.core.ppo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** k1 and k3 on log-probs whose ratios are powers of two. */
class KlEstimatorsTest {

    private static final float LN2 = (float) Math.log(2);

    // row 0: p = (1/2, 1/4), p_ref = (1/4, 1/2), then padding; row 1: p = 1/2, p_ref = 1/8, then padding
    private static NDArray logp(NDManager m) {
        return m.create(
                new float[] {(float) Math.log(0.5), (float) Math.log(0.25), 0.7f, (float) Math.log(0.5), 40, -40},
                new Shape(2, 3));
    }

    private static NDArray refLogp(NDManager m) {
        return m.create(
                new float[] {(float) Math.log(0.25), (float) Math.log(0.5), -3, (float) Math.log(0.125), -40, 40},
                new Shape(2, 3));
    }

    private static NDArray mask(NDManager m) {
        return m.create(new long[] {1, 1, 0, 1, 0, 0}, new Shape(2, 3));
    }

    @Test
    void k1IsTheLogRatio() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray k1 = KlEstimators.k1(logp(m), refLogp(m), mask(m));
            assertArrayEquals(new float[] {LN2, -LN2, 0, 2 * LN2, 0, 0}, k1.toFloatArray(), 1e-6f);
            assertEquals(2 * LN2 / 3, KlEstimators.meanPerToken(k1, mask(m)), 1e-6f);
            // per response: 0 and 2 ln 2, averaged over B = 2
            assertEquals(LN2, KlEstimators.meanSequenceKl(k1, mask(m)), 1e-6f);
        }
    }

    @Test
    void k3IsRatioMinusOneMinusLogRatio() {
        try (NDManager m = NDManager.newBaseManager()) {
            // r = p_ref / p = (1/2, 2, 1/4): k3 = (-1/2 + ln 2, 1 - ln 2, -3/4 + 2 ln 2)
            NDArray k3 = KlEstimators.k3(logp(m), refLogp(m), mask(m));
            float[] expected = {-0.5f + LN2, 1 - LN2, 0, -0.75f + 2 * LN2, 0, 0};
            assertArrayEquals(expected, k3.toFloatArray(), 1e-6f);
            assertEquals((-0.25f + 2 * LN2) / 3, KlEstimators.meanPerToken(k3, mask(m)), 1e-6f);
        }
    }
}
