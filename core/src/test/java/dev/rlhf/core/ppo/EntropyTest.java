package dev.rlhf.core.ppo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** Entropy of distributions whose entropy is known in closed form. */
class EntropyTest {

    @Test
    void uniformOverVTokensHasEntropyLogV() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.full(new Shape(2, 3, 7), 1.3f); // (B, T, V): any constant is uniform
            float log7 = (float) Math.log(7);
            assertArrayEquals(
                    new float[] {log7, log7, log7, log7, log7, log7},
                    Entropy.perToken(logits).toFloatArray(),
                    1e-6f);
        }
    }

    @Test
    void meanOverRealTokensOnly() {
        try (NDManager m = NDManager.newBaseManager()) {
            // token 0: p = (1/4, 3/4), H = -(1/4 ln 1/4 + 3/4 ln 3/4); token 1: near one-hot, H ~ 0;
            // token 2: uniform (ln 2) but padding
            NDArray logits = m.create(
                    new float[] {(float) Math.log(0.25), (float) Math.log(0.75), 50, -50, 0, 0}, new Shape(1, 3, 2));
            NDArray mask = m.create(new long[] {1, 1, 0}, new Shape(1, 3));
            double h0 = -(0.25 * Math.log(0.25) + 0.75 * Math.log(0.75));
            float[] perToken = Entropy.perToken(logits).toFloatArray();
            assertEquals(h0, perToken[0], 1e-6);
            assertEquals(0, perToken[1], 1e-6);
            assertEquals(h0 / 2, Entropy.mean(logits, mask).getFloat(), 1e-6);
        }
    }
}
