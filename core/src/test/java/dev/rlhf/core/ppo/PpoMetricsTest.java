package dev.rlhf.core.ppo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Distinct responses and mean lengths of a small batch. */
class PpoMetricsTest {

    private static final List<long[]> RESPONSES =
            List.of(new long[] {1, 2}, new long[] {1, 2}, new long[] {3}, new long[] {1, 2, 3});

    @Test
    void distinctResponsesOverBatchSize() {
        assertEquals(0.75, PpoMetrics.distinctResponseRatio(RESPONSES), 1e-12);
        assertEquals(1, PpoMetrics.distinctResponseRatio(List.of(new long[] {1}, new long[] {1, 1})), 1e-12);
        assertEquals(0, PpoMetrics.distinctResponseRatio(List.of()));
    }

    @Test
    void meanLengthFromTokensOrMask() {
        assertEquals(2, PpoMetrics.meanResponseLength(RESPONSES), 1e-12);
        try (NDManager m = NDManager.newBaseManager()) {
            var mask = m.create(new long[] {1, 1, 0, 1, 1, 1, 1, 0, 0}, new Shape(3, 3));
            assertEquals(2, PpoMetrics.meanResponseLength(mask), 1e-6);
        }
    }
}
