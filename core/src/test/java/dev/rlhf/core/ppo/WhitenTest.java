package dev.rlhf.core.ppo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** Masked whitening on four real tokens and two padded ones. */
class WhitenTest {

    // real tokens 1, 2, 3, 4: mean 2.5, unbiased variance (2.25 + 0.25 + 0.25 + 2.25) / 3 = 5/3
    private static final float STD = (float) Math.sqrt(5.0 / 3);

    private static NDArray x(NDManager m) {
        return m.create(new float[] {1, 2, 100, 3, 4, -50}, new Shape(2, 3));
    }

    private static NDArray mask(NDManager m) {
        return m.create(new long[] {1, 1, 0, 1, 1, 0}, new Shape(2, 3));
    }

    @Test
    void meanZeroStdOne() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = Whiten.whiten(x(m), mask(m));
            float[] expected = {-1.5f / STD, -0.5f / STD, 0, 0.5f / STD, 1.5f / STD, 0};
            assertArrayEquals(expected, w.toFloatArray(), 1e-6f);
            assertEquals(0f, Masked.meanValue(w, mask(m)), 1e-6f);
            assertEquals(1f, Masked.variance(w, mask(m), true).getFloat(), 1e-6f);
        }
    }

    @Test
    void keepingTheMeanAddsItBack() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = Whiten.whiten(x(m), mask(m), false);
            float[] expected = {2.5f - 1.5f / STD, 2.5f - 0.5f / STD, 0, 2.5f + 0.5f / STD, 2.5f + 1.5f / STD, 0};
            assertArrayEquals(expected, w.toFloatArray(), 1e-6f);
        }
    }

    @Test
    void oneRealTokenHasNoVariance() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray mask = m.create(new long[] {1, 0, 0, 0, 0, 0}, new Shape(2, 3));
            assertThrows(IllegalArgumentException.class, () -> Whiten.whiten(x(m), mask));
        }
    }
}
