package dev.rlhf.core.ppo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** GAE by hand on three steps, and against the closed-form sum on random batches. */
class GaeTest {

    @Test
    void threeStepsByHand() {
        // gamma 0.9, lambda 0.8 (gamma lambda = 0.72), r = (1, 0, 2), V = (0.5, 1, 1.5), V after the end 0:
        // delta = (1 + 0.9*1 - 0.5, 0 + 0.9*1.5 - 1, 2 + 0 - 1.5) = (1.4, 0.35, 0.5)
        // A_2 = 0.5, A_1 = 0.35 + 0.72*0.5 = 0.71, A_0 = 1.4 + 0.72*0.71 = 1.9112; R = A + V
        float[] advantages = Gae.advantages(new float[] {1, 0, 2}, new float[] {0.5f, 1, 1.5f}, ones(3), 0.9, 0.8);
        assertArrayEquals(new float[] {1.9112f, 0.71f, 0.5f}, advantages, 1e-6f);
    }

    @Test
    void paddingIsSkippedAndZeroed() {
        try (NDManager m = NDManager.newBaseManager()) {
            // row 0 is the hand example right-padded with junk; row 1 is one real token: delta = 3 - 1 = 2
            NDArray rewards = m.create(new float[] {1, 0, 2, 5, 3, 7, 7, 7}, new Shape(2, 4));
            NDArray values = m.create(new float[] {0.5f, 1, 1.5f, 9, 1, -4, -4, -4}, new Shape(2, 4));
            NDArray mask = m.create(new long[] {1, 1, 1, 0, 1, 0, 0, 0}, new Shape(2, 4));
            Gae.Result gae = Gae.compute(rewards, values, mask, 0.9, 0.8);
            assertArrayEquals(
                    new float[] {1.9112f, 0.71f, 0.5f, 0, 2, 0, 0, 0},
                    gae.advantages().toFloatArray(),
                    1e-6f);
            assertArrayEquals(
                    new float[] {2.4112f, 1.71f, 2.0f, 0, 3, 0, 0, 0},
                    gae.returns().toFloatArray(),
                    1e-6f);
        }
    }

    @Test
    void matchesTheDiscountedSumOfDeltasOnRandomBatches() {
        Random random = new Random(6);
        int b = 5;
        int t = 9;
        double gamma = 0.97;
        double lambda = 0.9;
        try (NDManager m = NDManager.newBaseManager()) {
            for (int trial = 0; trial < 20; trial++) {
                float[] r = new float[b * t];
                float[] v = new float[b * t];
                float[] mask = new float[b * t];
                for (int i = 0; i < b * t; i++) {
                    r[i] = (float) random.nextGaussian();
                    v[i] = (float) random.nextGaussian();
                    mask[i] = random.nextDouble() < 0.8 ? 1 : 0; // gaps too, not only right padding
                }
                Gae.Result gae = Gae.compute(
                        m.create(r, new Shape(b, t)),
                        m.create(v, new Shape(b, t)),
                        m.create(mask, new Shape(b, t)),
                        gamma,
                        lambda);
                float[] expectedA = new float[b * t];
                float[] expectedR = new float[b * t];
                for (int row = 0; row < b; row++) {
                    discountedSum(r, v, mask, row * t, t, gamma, lambda, expectedA, expectedR);
                }
                assertArrayEquals(expectedA, gae.advantages().toFloatArray(), 1e-5f);
                assertArrayEquals(expectedR, gae.returns().toFloatArray(), 1e-5f);
            }
        }
    }

    /**
     * The second implementation: list the real tokens of a row, compute every delta forwards, then sum each
     * advantage directly as {@code A_j = sum_k (gamma lambda)^k delta_{j+k}} (quadratic, no recursion).
     */
    private static void discountedSum(
            float[] r, float[] v, float[] mask, int from, int t, double gamma, double lambda, float[] a, float[] ret) {
        List<Integer> real = new ArrayList<>();
        for (int i = from; i < from + t; i++) {
            if (mask[i] > 0) {
                real.add(i);
            }
        }
        int n = real.size();
        double[] delta = new double[n];
        for (int j = 0; j < n; j++) {
            double nextValue = j + 1 < n ? v[real.get(j + 1)] : 0;
            delta[j] = r[real.get(j)] + gamma * nextValue - v[real.get(j)];
        }
        for (int j = 0; j < n; j++) {
            double sum = 0;
            for (int k = 0; j + k < n; k++) {
                sum += Math.pow(gamma * lambda, k) * delta[j + k];
            }
            a[real.get(j)] = (float) sum;
            ret[real.get(j)] = (float) (sum + v[real.get(j)]);
        }
    }

    private static float[] ones(int n) {
        float[] out = new float[n];
        Arrays.fill(out, 1f);
        return out;
    }
}
