package dev.rlhf.core.ppo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** GRPO and RLOO advantages by hand on two groups of G = 4, one of them with equal rewards. */
class GroupAdvantagesTest {

    // group 0 (rows 0-3): rewards 0, 0, 1, 1; group 1 (rows 4-7): 1, 1, 1, 1. T = 2, row 1 has one real token.
    private static NDArray rewards(NDManager m) {
        return m.create(new float[] {0, 0, 1, 1, 1, 1, 1, 1});
    }

    private static NDArray mask(NDManager m) {
        return m.create(new long[] {1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, new Shape(8, 2));
    }

    @Test
    void grpoDividesByTheUnbiasedGroupStd() {
        try (NDManager m = NDManager.newBaseManager()) {
            // group 0: mean 0.5, deviations -0.5, -0.5, 0.5, 0.5; unbiased variance 4 * 0.25 / 3 = 1/3
            // A = +-0.5 / (sqrt(1/3) + 1e-4); group 1: mean 1, std 0, A = 0 / 1e-4 = 0
            float a = (float) (0.5 / (Math.sqrt(1.0 / 3) + 1e-4));
            NDArray advantages = GroupAdvantages.grpo(rewards(m), mask(m), 4, true);
            float[] expected = {-a, -a, -a, 0, a, a, a, a, 0, 0, 0, 0, 0, 0, 0, 0};
            assertArrayEquals(expected, advantages.toFloatArray(), 1e-6f);
            assertEquals(new Shape(8, 2), advantages.getShape());
        }
    }

    @Test
    void grpoWithoutScalingOnlySubtractsTheGroupMean() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray advantages = GroupAdvantages.grpo(rewards(m), mask(m), 4, false);
            float[] expected = {-0.5f, -0.5f, -0.5f, 0, 0.5f, 0.5f, 0.5f, 0.5f, 0, 0, 0, 0, 0, 0, 0, 0};
            assertArrayEquals(expected, advantages.toFloatArray(), 1e-6f);
        }
    }

    @Test
    void equalRewardsGiveZeroAndNoNaN() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray same = m.create(new float[] {-3, -3, -3});
            NDArray mask = m.ones(new Shape(3, 2));
            for (float value : GroupAdvantages.grpo(same, mask, 3, true).toFloatArray()) {
                assertEquals(0f, value, 0f); // fails on NaN
            }
            for (float value : GroupAdvantages.rloo(same, mask, 3).toFloatArray()) {
                assertEquals(0f, value, 0f); // fails on NaN
            }
        }
    }

    @Test
    void rlooSubtractsTheMeanOfTheOthers() {
        try (NDManager m = NDManager.newBaseManager()) {
            // group 0: 0 - (0 + 1 + 1) / 3 = -2/3 for rows 0, 1; 1 - (0 + 0 + 1) / 3 = 2/3 for rows 2, 3; group 1: 0
            float third = 2f / 3;
            NDArray advantages = GroupAdvantages.rloo(rewards(m), mask(m), 4);
            float[] expected = {-third, -third, -third, 0, third, third, third, third, 0, 0, 0, 0, 0, 0, 0, 0};
            assertArrayEquals(expected, advantages.toFloatArray(), 1e-6f);
        }
    }

    @Test
    void rlooOnUnequalRewards() {
        try (NDManager m = NDManager.newBaseManager()) {
            // G = 3, rewards 1, 2, 6: 1 - 8/2 = -3, 2 - 7/2 = -1.5, 6 - 3/2 = 4.5 (= 3/2 * (r - mean 3))
            NDArray advantages = GroupAdvantages.rloo(m.create(new float[] {1, 2, 6}), m.ones(new Shape(3, 1)), 3);
            assertArrayEquals(new float[] {-3, -1.5f, 4.5f}, advantages.toFloatArray(), 1e-6f);
        }
    }

    @Test
    void matchesAReshapedImplementationOnRandomGroups() {
        // the second implementation: NDArray ops on rewards reshaped to (N, G), torch's std with Bessel's correction
        Random random = new Random(13);
        int n = 5;
        int g = 4;
        try (NDManager m = NDManager.newBaseManager()) {
            for (int trial = 0; trial < 10; trial++) {
                float[] r = new float[n * g];
                for (int i = 0; i < r.length; i++) {
                    r[i] = (float) random.nextGaussian();
                }
                NDArray rewards = m.create(r);
                NDArray mask = m.ones(new Shape(n * g, 3));
                NDArray grouped = rewards.reshape(n, g); // (N, G)
                NDArray mean = grouped.mean(new int[] {1}, true); // (N, 1)
                NDArray std = grouped.sub(mean)
                        .square()
                        .sum(new int[] {1}, true)
                        .div(g - 1)
                        .sqrt(); // (N, 1)
                NDArray grpo = grouped.sub(mean).div(std.add(1e-4f)).reshape(n * g, 1); // (B, 1)
                NDArray rloo = grouped.sub(mean).mul((float) g / (g - 1)).reshape(n * g, 1); // (B, 1)
                assertArrayEquals(
                        grpo.broadcast(new Shape(n * g, 3)).toFloatArray(),
                        GroupAdvantages.grpo(rewards, mask, g, true).toFloatArray(),
                        1e-5f);
                assertArrayEquals(
                        rloo.broadcast(new Shape(n * g, 3)).toFloatArray(),
                        GroupAdvantages.rloo(rewards, mask, g).toFloatArray(),
                        1e-5f);
            }
        }
    }

    @Test
    void aGroupOfOneIsRefused() {
        try (NDManager m = NDManager.newBaseManager()) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> GroupAdvantages.grpo(rewards(m), mask(m), 1, true));
            assertTrue(e.getMessage().startsWith("group_size must be at least 2"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> GroupAdvantages.rloo(rewards(m), mask(m), 1));
        }
    }

    @Test
    void incompleteGroupsAreRefused() {
        try (NDManager m = NDManager.newBaseManager()) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> GroupAdvantages.grpo(rewards(m), mask(m), 3, true));
            assertTrue(e.getMessage().contains("not whole groups"), e.getMessage());
            assertFalse(e.getMessage().isBlank());
        }
    }
}
