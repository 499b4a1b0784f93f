package dev.rlhf.core.ppo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/** k1, k2, k3 as loss terms on log-probs whose ratios are powers of two, and the gradient of k2. */
class KlPenaltyTest {

    private static final float LN2 = (float) Math.log(2);

    // row 0: p = (1/2, 1/4), p_ref = (1/4, 1/2); row 1: p = 1/2, p_ref = 1/8, then padding with junk
    private static NDArray logp(NDManager m) {
        return m.create(
                new float[] {(float) Math.log(0.5), (float) Math.log(0.25), (float) Math.log(0.5), 40},
                new Shape(2, 2));
    }

    private static NDArray refLogp(NDManager m) {
        return m.create(
                new float[] {(float) Math.log(0.25), (float) Math.log(0.5), (float) Math.log(0.125), -40},
                new Shape(2, 2));
    }

    private static NDArray mask(NDManager m) {
        return m.create(new long[] {1, 1, 1, 0}, new Shape(2, 2));
    }

    @Test
    void eachEstimatorTimesBeta() {
        try (NDManager m = NDManager.newBaseManager()) {
            // log r = refLogp - logp = (-ln 2, ln 2, -2 ln 2); beta 0.5
            // k1 = -log r = (ln 2, -ln 2, 2 ln 2)
            // k2 = (log r)^2 / 2 = (ln2^2 / 2, ln2^2 / 2, 2 ln2^2)
            // k3 = r - 1 - log r with r = (1/2, 2, 1/4) = (-1/2 + ln 2, 1 - ln 2, -3/4 + 2 ln 2)
            float sq = LN2 * LN2;
            assertArrayEquals(
                    new float[] {0.5f * LN2, -0.5f * LN2, LN2, 0},
                    KlPenalty.K1.term(logp(m), refLogp(m), mask(m), 0.5).toFloatArray(),
                    1e-6f);
            assertArrayEquals(
                    new float[] {0.25f * sq, 0.25f * sq, sq, 0},
                    KlPenalty.K2.term(logp(m), refLogp(m), mask(m), 0.5).toFloatArray(),
                    1e-6f);
            assertArrayEquals(
                    new float[] {0.5f * (-0.5f + LN2), 0.5f * (1 - LN2), 0.5f * (-0.75f + 2 * LN2), 0},
                    KlPenalty.K3.term(logp(m), refLogp(m), mask(m), 0.5).toFloatArray(),
                    1e-6f);
        }
    }

    @Test
    void k2GradientIsTheLogRatio() {
        // d/d logp of (refLogp - logp)^2 / 2 = logp - refLogp = (ln 2, -ln 2, 2 ln 2), 0 at padding
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logp = logp(m);
            logp.setRequiresGradient(true);
            try (GradientCollector collector = m.getEngine().newGradientCollector()) {
                NDArray loss = KlPenalty.K2.perToken(logp, refLogp(m), mask(m)).sum();
                collector.backward(loss);
            }
            assertArrayEquals(
                    new float[] {LN2, -LN2, 2 * LN2, 0}, logp.getGradient().toFloatArray(), 1e-6f);
        }
    }

    @Test
    void namesAreTheConfigValues() {
        assertEquals(KlPenalty.K3, KlPenalty.of("k3"));
        assertEquals(KlPenalty.K2, KlPenalty.of(" K2 "));
        assertEquals("k1", KlPenalty.K1.configName());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KlPenalty.of("k4"));
        assertTrue(e.getMessage().contains("'k4'") && e.getMessage().contains("k1, k2, k3"), e.getMessage());
    }

    @Test
    void rejectsANegativeBeta() {
        try (NDManager m = NDManager.newBaseManager()) {
            assertThrows(IllegalArgumentException.class, () -> KlPenalty.K1.term(logp(m), refLogp(m), mask(m), -0.1));
        }
    }
}
