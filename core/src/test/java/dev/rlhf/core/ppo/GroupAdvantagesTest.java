package dev.rlhf.core.ppo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
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
