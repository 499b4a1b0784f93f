package dev.rlhf.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/**
 * The cached causal bias and rotary tables give exactly what building them per batch gave, for any (T, S) and past a
 * regrowth, and a forward pass leaves nothing behind in the cache.
 */
class PositionTablesTest {

    private static final float[] INVERSE_FREQUENCIES = RotaryEmbedding.inverseFrequencies(8, 10000, RopeScaling.NONE);

    @Test
    void causalBiasEqualsTheOneBuiltPerBatch() {
        try (NDManager m = NDManager.newBaseManager()) {
            PositionTables tables = new PositionTables(m.newSubManager(), INVERSE_FREQUENCIES);
            long[][] shapes = {{5, 5}, {1, 9}, {3, 12}, {40, 40}, {7, 7}}; // (T, S); 40 regrows the 16-row table
            for (long[] shape : shapes) {
                long t = shape[0];
                long s = shape[1];
                NDArray mask = m.ones(new Shape(2, s), DataType.INT64);
                mask.set(new NDIndex("1, :2"), 0); // row 1 left-padded
                NDArray expected = AttentionMask.causalBias(mask, t); // (B, 1, T, S)
                NDArray actual = AttentionMask.withPadding(tables.causalBias(t, s, m), mask);
                assertEquals(expected.getShape(), actual.getShape());
                assertArrayEquals(expected.toFloatArray(), actual.toFloatArray(), 0f, t + "x" + s);
            }
        }
    }

    @Test
    void anglesEqualTheOnesComputedFromThePositions() {
        try (NDManager m = NDManager.newBaseManager()) {
            PositionTables tables = new PositionTables(m.newSubManager(), INVERSE_FREQUENCIES);
            for (long length : new long[] {6, 100, 9}) {
                NDArray mask = m.ones(new Shape(2, length), DataType.INT64);
                mask.set(new NDIndex("0, :3"), 0);
                NDArray positions = AttentionMask.positions(mask); // (2, length), per-row
                RotaryEmbedding.Angles expected = RotaryEmbedding.angles(positions, INVERSE_FREQUENCIES);
                RotaryEmbedding.Angles actual = tables.angles(positions, length);
                assertEquals(expected.cos().getShape(), actual.cos().getShape());
                assertArrayEquals(expected.cos().toFloatArray(), actual.cos().toFloatArray(), 0f);
                assertArrayEquals(expected.sin().toFloatArray(), actual.sin().toFloatArray(), 0f);
            }
        }
    }

    @Test
    void aForwardPassLeavesNoArrayInTheCache() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDManager cache = m.newSubManager();
            PositionTables tables = new PositionTables(cache, INVERSE_FREQUENCIES);
            try (NDManager first = m.newSubManager()) {
                tables.causalBias(8, 8, first);
                tables.angles(first.arange(0L, 8L).reshape(1, 8).toType(DataType.INT64, false), 8);
            }
            int built = ((BaseNDManager) cache).getManagedArrays().size();
            for (int i = 0; i < 5; i++) {
                try (NDManager batch = m.newSubManager()) {
                    NDArray mask = batch.ones(new Shape(3, 8), DataType.INT64);
                    AttentionMask.withPadding(tables.causalBias(8, 8, batch), mask);
                    tables.angles(AttentionMask.positions(mask), 8);
                }
            }
            assertEquals(built, ((BaseNDManager) cache).getManagedArrays().size());
        }
    }
}
