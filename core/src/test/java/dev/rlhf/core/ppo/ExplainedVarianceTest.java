package dev.rlhf.core.ppo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** Explained variance of a perfect critic, a mean-only critic and one off by one on a single token. */
class ExplainedVarianceTest {

    private static NDArray row(NDManager m, float... values) {
        return m.create(values, new Shape(1, values.length));
    }

    @Test
    void byHand() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray returns = row(m, 1, 2, 3, 4, 50);
            NDArray mask = row(m, 1, 1, 1, 1, 0);
            assertEquals(1, ExplainedVariance.of(returns, row(m, 1, 2, 3, 4, -9), mask), 1e-6);
            assertEquals(0, ExplainedVariance.of(returns, row(m, 2.5f, 2.5f, 2.5f, 2.5f, 0), mask), 1e-6);
            // residual (0, 0, 0, -1): variance 0.1875; Var(returns) = 1.25 -> 1 - 0.15
            assertEquals(0.85, ExplainedVariance.of(returns, row(m, 1, 2, 3, 5, 0), mask), 1e-6);
        }
    }

    @Test
    void constantReturnsGiveNaN() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray returns = row(m, 2, 2, 2);
            assertTrue(Double.isNaN(ExplainedVariance.of(returns, row(m, 0, 1, 2), row(m, 1, 1, 1))));
        }
    }
}
