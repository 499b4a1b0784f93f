package dev.rlhf.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cache writes each step in place and reads back exactly what was appended, across its buffers' growth. */
class KvCacheTest {

    @Test
    void returnsEveryAppendedPositionInOrderAcrossGrowth() {
        try (NDManager m = NDManager.newBaseManager();
                KvCache cache = new KvCache(m, 2, 12, 1)) {
            List<NDArray> keys = new ArrayList<>();
            List<NDArray> values = new ArrayList<>();
            List<Long> capacities = new ArrayList<>();
            for (int steps : new int[] {3, 1, 1, 2, 1, 4}) {
                NDArray k = m.randomNormal(new Shape(2, 2, steps, 4));
                NDArray v = m.randomNormal(new Shape(2, 2, steps, 4));
                keys.add(k);
                values.add(v);
                for (int layer = 0; layer < 2; layer++) {
                    try (NDManager step = m.newSubManager()) {
                        NDList full = cache.append(layer, k.duplicate(), v.duplicate());
                        NDArray expectedK = NDArrays.concat(new NDList(keys), 2);
                        NDArray expectedV = NDArrays.concat(new NDList(values), 2);
                        assertArrayEquals(expectedK.toFloatArray(), full.get(0).toFloatArray());
                        assertArrayEquals(expectedV.toFloatArray(), full.get(1).toFloatArray());
                        assertEquals(expectedK.getShape(), full.get(0).getShape());
                        expectedK.attach(step);
                        expectedV.attach(step);
                        full.attach(step); // the step's views close with the step; the cache keeps its buffers
                    }
                }
                capacities.add(cache.capacity());
                assertTrue(cache.capacity() >= cache.length());
            }
            assertEquals(12, cache.length());
            // 3 -> room for 4, then 4 + 1 -> 8 (doubling), then 12 (doubling, capped at the maximum length)
            assertEquals(List.of(4L, 4L, 8L, 8L, 8L, 12L), capacities);
        }
    }

    @Test
    void refusesMorePositionsThanItsMaximumLength() {
        try (NDManager m = NDManager.newBaseManager();
                KvCache cache = new KvCache(m, 1, 4)) {
            cache.append(0, m.zeros(new Shape(1, 1, 3, 2)), m.zeros(new Shape(1, 1, 3, 2)));
            IllegalStateException e = assertThrows(
                    IllegalStateException.class,
                    () -> cache.append(0, m.zeros(new Shape(1, 1, 2, 2)), m.zeros(new Shape(1, 1, 2, 2))));
            assertEquals("KV cache of layer 0 holds at most 4 positions, asked for 5", e.getMessage());
            assertEquals(3, cache.length());
        }
    }
}
