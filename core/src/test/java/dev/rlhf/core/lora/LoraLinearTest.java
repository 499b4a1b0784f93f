package dev.rlhf.core.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.rlhf.core.model.NoGrad;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One LoRA linear against numbers worked out by hand, PEFT's initialisation, merge and unmerge. */
class LoraLinearTest {

    private static final NDIndex ALL = new NDIndex("...");

    /*
     * x = (1, 2, 3), W = [[1, 0, -1], [2, 1, 0]], b = (0.5, -0.5): W x + b = (-1.5, 3.5).
     * A = [[1, 1, 1], [1, 0, -1]] (r = 2): A x = (6, -2). B = [[1, 0.5], [0, -1]]: B A x = (5, 2).
     * alpha = 4: s = 4 / 2 = 2, y = (-1.5 + 10, 3.5 + 4) = (8.5, 7.5).
     * rsLoRA: s = 4 / sqrt(2) = 2.8284271, y = (-1.5 + 14.142136, 3.5 + 5.656854) = (12.642136, 9.156854).
     * Merged: W + 2 B A = W + 2 [[1.5, 1, 0.5], [-1, 0, 1]] = [[4, 2, 0], [0, 1, 2]]; (4, 2, 0).x + 0.5 = 8.5.
     */
    private static final float[] W = {1, 0, -1, 2, 1, 0};
    private static final float[] A = {1, 1, 1, 1, 0, -1};
    private static final float[] B = {1, 0.5f, 0, -1};

    private static LoraLinear handBuilt(NDManager m, boolean rslora) {
        LoraLinear linear = new LoraLinear(2, true);
        linear.initialize(m, DataType.FLOAT32, new Shape(1, 3));
        LoraAdapter adapter = linear.attach(new LoraSettings(2, 4, 0, List.of("q_proj"), rslora), m);
        try (NoGrad noGrad = NoGrad.open()) {
            set(linear.weight(), W, m);
            set(bias(linear), new float[] {0.5f, -0.5f}, m);
            set(adapter.loraA(), A, m);
            set(adapter.loraB(), B, m);
        }
        return linear;
    }

    private static Parameter bias(LoraLinear linear) {
        Map<String, Parameter> parameters = new HashMap<>();
        linear.collectParameters("", parameters);
        return parameters.get("bias");
    }

    private static void set(Parameter p, float[] values, NDManager m) {
        p.getArray().set(ALL, m.create(values, p.getArray().getShape()));
    }

    private static float[] forward(LoraLinear linear, NDManager m) {
        NDArray x = m.create(new float[] {1, 2, 3}, new Shape(1, 3));
        return linear.forward(new ParameterStore(m, false), new NDList(x), false)
                .singletonOrThrow()
                .toFloatArray();
    }

    @Test
    void computesWxPlusBiasPlusScaledLowRankUpdate() {
        try (NDManager m = NDManager.newBaseManager()) {
            assertArrayEquals(new float[] {8.5f, 7.5f}, forward(handBuilt(m, false), m), 1e-6f);
        }
    }

    @Test
    void rsLoraScalesByAlphaOverSqrtR() {
        try (NDManager m = NDManager.newBaseManager()) {
            LoraLinear linear = handBuilt(m, true);
            assertEquals(4 / Math.sqrt(2), linear.adapter().scale(), 1e-6);
            assertArrayEquals(new float[] {12.642136f, 9.156854f}, forward(linear, m), 1e-5f);
        }
    }

    @Test
    void offTheAdapterAddsNothing() {
        try (NDManager m = NDManager.newBaseManager()) {
            LoraLinear linear = handBuilt(m, false);
            linear.enable(false);
            assertArrayEquals(new float[] {-1.5f, 3.5f}, forward(linear, m), 0f);
            linear.enable(true);
            assertArrayEquals(new float[] {8.5f, 7.5f}, forward(linear, m), 1e-6f);
        }
    }

    @Test
    void mergeAddsScaledBAIntoTheWeightAndUnmergeTakesItOut() {
        try (NDManager m = NDManager.newBaseManager()) {
            LoraLinear linear = handBuilt(m, false);
            linear.merge();
            assertTrue(linear.isMerged());
            assertArrayEquals(
                    new float[] {4, 2, 0, 0, 1, 2}, linear.weight().getArray().toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {8.5f, 7.5f}, forward(linear, m), 1e-6f);
            linear.unmerge();
            assertArrayEquals(W, linear.weight().getArray().toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {8.5f, 7.5f}, forward(linear, m), 1e-6f);
        }
    }

    /** Dropout acts on the adapter's input in training only: inference gives the hand-computed output exactly. */
    @Test
    void dropoutOnlyWhileTraining() {
        try (NDManager m = NDManager.newBaseManager()) {
            LoraLinear linear = new LoraLinear(2, false);
            linear.initialize(m, DataType.FLOAT32, new Shape(1, 3));
            LoraAdapter adapter = linear.attach(new LoraSettings(2, 4, 0.5, List.of("q_proj"), false), m);
            try (NoGrad noGrad = NoGrad.open()) {
                set(linear.weight(), W, m);
                set(adapter.loraA(), A, m);
                set(adapter.loraB(), B, m);
            }
            assertArrayEquals(new float[] {8, 8}, forward(linear, m), 1e-6f);
            NDArray x = m.create(new float[] {1, 2, 3}, new Shape(1, 3)).tile(new long[] {64, 1}); // (64, 3)
            float[] trained = linear.forward(new ParameterStore(m, false), new NDList(x), true)
                    .singletonOrThrow()
                    .toFloatArray();
            boolean anyDifferent = false;
            for (int i = 0; i < trained.length; i += 2) {
                anyDifferent |= Math.abs(trained[i] - 8) > 1e-3;
            }
            assertTrue(anyDifferent, "some of 64 rows see a dropped input");
        }
    }

    @Test
    void freshAdapterIsPeftsKaimingUniformAAndZeroB() {
        try (NDManager m = NDManager.newBaseManager()) {
            LoraLinear linear = new LoraLinear(48, false);
            linear.initialize(m, DataType.FLOAT32, new Shape(1, 64));
            LoraAdapter adapter = linear.attach(LoraSettings.of(8, 16), m);
            assertArrayEquals(
                    new long[] {8, 64}, adapter.loraA().getArray().getShape().getShape());
            assertArrayEquals(
                    new long[] {48, 8}, adapter.loraB().getArray().getShape().getShape());
            float bound = (float) (1 / Math.sqrt(64)); // kaiming_uniform_(a=sqrt(5)) over fan-in 64
            float maxA = adapter.loraA().getArray().abs().max().getFloat();
            assertTrue(maxA <= bound && maxA > 0.9f * bound, "max |A| " + maxA + " within and near " + bound);
            assertEquals(0f, adapter.loraB().getArray().abs().max().getFloat(), 0f);
            assertTrue(adapter.loraA().getArray().hasGradient()
                    && adapter.loraB().getArray().hasGradient());
            assertEquals(8 * 64 + 48 * 8, adapter.parameterCount());
        }
    }
}
