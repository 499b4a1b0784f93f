package dev.rlhf.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

/** The small formulas checked against numbers worked out by hand. */
class LayerMathTest {

    @Test
    void rotateHalfSwapsAndNegatesHalves() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {1, 2, 3, 4});
            assertArrayEquals(
                    new float[] {-3, -4, 1, 2}, RotaryEmbedding.rotateHalf(x).toFloatArray());
        }
    }

    @Test
    void rotaryAnglesFollowThetaPowers() {
        try (NDManager m = NDManager.newBaseManager()) {
            // E = 4, theta = 100: inverse frequencies 1 and 100^(-1/2) = 0.1; position 2 -> angles 2 and 0.2.
            RotaryEmbedding.Angles a = RotaryEmbedding.angles(m.create(new long[][] {{2}}), 4, 100.0);
            float[] cos = a.cos().toFloatArray();
            float c2 = (float) Math.cos(2);
            float c02 = (float) Math.cos(0.2);
            assertArrayEquals(new float[] {c2, c02, c2, c02}, cos, 1e-6f);
            // Rotating (1, 0, 0, 0) by angle 2 moves it to (cos 2, 0, sin 2, 0).
            NDArray q = m.create(new float[] {1, 0, 0, 0}).reshape(1, 1, 1, 4);
            float[] rotated = RotaryEmbedding.apply(q, a).toFloatArray();
            assertArrayEquals(new float[] {c2, 0, (float) Math.sin(2), 0}, rotated, 1e-6f);
        }
    }

    @Test
    void rmsNormDividesByRootMeanSquare() {
        try (NDManager m = NDManager.newBaseManager()) {
            RmsNorm norm = new RmsNorm(2, 0.0);
            // x = (3, 4): mean square 12.5, rms 3.5355; weight (1, 2).
            NDArray y = norm.normalize(m.create(new float[] {3, 4}), m.create(new float[] {1, 2}));
            double rms = Math.sqrt(12.5);
            assertArrayEquals(new float[] {(float) (3 / rms), (float) (8 / rms)}, y.toFloatArray(), 1e-6f);
        }
    }

    @Test
    void causalBiasMasksFutureAndPadding() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray bias = AttentionMask.causalBias(m.create(new long[][] {{0, 1, 1}}), 3);
            float x = AttentionMask.MASKED;
            assertArrayEquals(new float[] {x, x, x, x, 0, x, x, 0, 0}, bias.toFloatArray());
            assertArrayEquals(
                    new long[] {0, 0, 1},
                    AttentionMask.positions(m.create(new long[][] {{0, 1, 1}})).toLongArray());
        }
    }

    @Test
    void packedBiasKeepsSegmentsApart() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray bias = AttentionMask.packedBias(m.create(new long[][] {{0, 0, 1, -1}}));
            float x = AttentionMask.MASKED;
            float[] expected = {
                0, x, x, x, //
                0, 0, x, x, //
                x, x, 0, x, //
                x, x, x, x
            };
            assertArrayEquals(expected, bias.toFloatArray());
        }
    }
}
