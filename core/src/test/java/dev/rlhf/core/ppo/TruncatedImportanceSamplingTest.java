package dev.rlhf.core.ppo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** Truncated importance weights on ratios 1/2, 1, 4 and 3 under a cap of 2. */
class TruncatedImportanceSamplingTest {

    private static final float LN2 = (float) Math.log(2);

    @Test
    void weightsAreRatiosCappedAndStatsCoverRealTokensOnly() {
        try (NDManager m = NDManager.newBaseManager()) {
            // oldLogp - behaviourLogp = (-ln 2, 0, 2 ln 2 | ln 3, junk 50): ratios (1/2, 1, 4, 3), padding last
            NDArray oldLogp = m.create(
                    new float[] {-1 - LN2, -1, -1 + 2 * LN2, -2 + (float) Math.log(3), 50, 0}, new Shape(2, 3));
            NDArray behaviourLogp = m.create(new float[] {-1, -1, -1, -2, 0, 0}, new Shape(2, 3));
            NDArray mask = m.create(new long[] {1, 1, 1, 1, 0, 0}, new Shape(2, 3));
            TruncatedImportanceSampling.Result result =
                    TruncatedImportanceSampling.compute(oldLogp, behaviourLogp, mask, 2.0);
            // weights min(ratio, 2) = (0.5, 1, 2, 2); mean 5.5 / 4; 2 of 4 ratios above the cap; largest ratio 4
            assertArrayEquals(
                    new float[] {0.5f, 1, 2, 2, 0, 0}, result.weights().toFloatArray(), 1e-5f);
            assertEquals(5.5f / 4, result.weightMean(), 1e-5f);
            assertEquals(2f, result.weightMax(), 1e-6f);
            assertEquals(4f, result.ratioMax(), 1e-5f);
            assertEquals(0.5f, result.clippedFraction(), 1e-6f);
        }
    }

    @Test
    void onPolicyRolloutsWeighOne() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logp = m.create(new float[] {-0.3f, -2.5f, -7}, new Shape(1, 3));
            TruncatedImportanceSampling.Result result =
                    TruncatedImportanceSampling.compute(logp, logp, m.ones(new Shape(1, 3)), 2.0);
            assertArrayEquals(new float[] {1, 1, 1}, result.weights().toFloatArray(), 0f);
            assertEquals(1f, result.weightMean());
            assertEquals(0f, result.clippedFraction());
        }
    }

    @Test
    void aCapBelowOneIsRefused() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logp = m.zeros(new Shape(1, 2));
            assertThrows(
                    IllegalArgumentException.class,
                    () -> TruncatedImportanceSampling.compute(logp, logp, m.ones(new Shape(1, 2)), 0.5));
        }
    }
}
