package dev.rlhf.gateway.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rlhf.proto.inference.DataType;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class BatchPaddingTest {

    private static final ModelSignature SIGNATURE = new ModelSignature(
            "m",
            8,
            OptionalInt.empty(),
            List.of(new ModelSignature.Input("ids", DataType.TYPE_INT64)),
            List.of(new ModelSignature.Output("per_row", false), new ModelSignature.Output("per_position", true)),
            OptionalLong.empty());

    private static InferCall call(List<String> outputs, long[]... rows) {
        long[] flat = new long[rows.length * rows[0].length];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, flat, r * rows[0].length, rows[0].length);
        }
        return new InferCall("", rows.length, rows[0].length, Map.of("ids", flat), outputs);
    }

    @Test
    void stacksRowsInCallOrderRightPaddedToTheLongest() {
        InferCall a = call(List.of(), new long[] {1, 2});
        InferCall b = call(List.of(), new long[] {3, 4, 5, 6}, new long[] {7, 8, 9, 10});
        BatchPadding.Merged merged = BatchPadding.merge(List.of(a, b), List.of("ids"));
        assertEquals(3, merged.rows());
        assertEquals(4, merged.length());
        assertArrayEquals(
                new long[] {1, 2, 0, 0, 3, 4, 5, 6, 7, 8, 9, 10},
                merged.inputs().get("ids"));
    }

    @Test
    void cutsPerPositionOutputsBackToEachCallsLengthAndKeepsWhatItAskedFor() {
        InferCall a = call(List.of("per_position"), new long[] {1, 2});
        InferCall b = call(List.of(), new long[] {3, 4, 5, 6}, new long[] {7, 8, 9, 10});
        List<OutputTensor> outputs = List.of(
                new OutputTensor("per_row", new long[] {3}, new float[] {0.5f, 1.5f, 2.5f}),
                // (B, T-1) = (3, 3); row 0 holds one real value and two from padding
                new OutputTensor("per_position", new long[] {3, 3}, new float[] {1, -9, -9, 2, 3, 4, 5, 6, 7}));
        List<List<OutputTensor>> split = BatchPadding.split(List.of(a, b), 4, outputs, SIGNATURE);
        assertEquals(List.of(new OutputTensor("per_position", new long[] {1, 1}, new float[] {1})), split.get(0));
        assertEquals(
                List.of(
                        new OutputTensor("per_row", new long[] {2}, new float[] {1.5f, 2.5f}),
                        new OutputTensor("per_position", new long[] {2, 3}, new float[] {2, 3, 4, 5, 6, 7})),
                split.get(1));
    }
}
