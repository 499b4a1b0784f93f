package dev.rlhf.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AdamW against the same recurrence written out in doubles, one scalar at a time. */
class AdamWTest {

    private static final AdamW.Settings SETTINGS = new AdamW.Settings(0.9f, 0.99f, 1e-8f, 0.1f);

    /** A 2x2 matrix (decayed) and a 2-vector (not decayed) under loss = sum(w * c). */
    private static Map<String, Parameter> parameters(NDManager m) {
        Map<String, Parameter> params = new LinkedHashMap<>();
        params.put("w", param("w", m.create(new float[] {0.5f, -1f, 2f, 0.25f}, new Shape(2, 2))));
        params.put("b", param("b", m.create(new float[] {1f, -2f})));
        return params;
    }

    private static Parameter param(String name, NDArray value) {
        Parameter p =
                Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).build();
        p.setArray(value);
        value.setRequiresGradient(true);
        return p;
    }

    private static void backward(Map<String, Parameter> params, float[] cw, float[] cb) {
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray w = params.get("w").getArray();
            NDArray b = params.get("b").getArray();
            NDArray loss = w.mul(w.getManager().create(cw, new Shape(2, 2)))
                    .sum()
                    .add(b.mul(b.getManager().create(cb)).sum());
            gc.backward(loss);
        }
    }

    @Test
    void updatesMatchTheFormulaStepByStep() {
        float[] cw = {1f, -2f, 0.5f, 3f};
        float[] cb = {-1f, 4f};
        double[] w = {0.5, -1, 2, 0.25};
        double[] b = {1, -2};
        double[][] mv = new double[4][6];
        try (NDManager m = NDManager.newBaseManager();
                AdamW adam = new AdamW(SETTINGS, m)) {
            Map<String, Parameter> params = parameters(m);
            for (int step = 1; step <= 3; step++) {
                float lr = 0.01f * step;
                backward(params, cw, cb);
                adam.update(params, lr);
                reference(w, cw, mv, step, lr, true);
                reference(b, cb, mv, step, lr, false);
            }
            assertArrayEquals(toFloat(w), params.get("w").getArray().toFloatArray(), 1e-6f);
            assertArrayEquals(toFloat(b), params.get("b").getArray().toFloatArray(), 1e-6f);
            assertEquals(3, adam.step());
            for (Parameter p : params.values()) {
                try (NDArray grad = p.getArray().getGradient()) {
                    assertEquals(0f, grad.abs().sum().getFloat(), "the update zeroes the gradient it used");
                }
            }
        }
    }

    /** The recurrence for one tensor; mv holds m in [0] and v in [1] per element, indexed by a hash of the tensor. */
    private static void reference(double[] p, float[] grad, double[][] mv, int t, float lr, boolean decay) {
        int row = decay ? 0 : 2;
        for (int i = 0; i < p.length; i++) {
            double g = grad[i];
            mv[row][i] = 0.9 * mv[row][i] + 0.1 * g;
            mv[row + 1][i] = 0.99 * mv[row + 1][i] + 0.01 * g * g;
            double mHat = mv[row][i] / (1 - Math.pow(0.9, t));
            double vHat = mv[row + 1][i] / (1 - Math.pow(0.99, t));
            if (decay) {
                p[i] -= lr * 0.1 * p[i];
            }
            p[i] -= lr * mHat / (Math.sqrt(vHat) + 1e-8);
        }
    }

    private static float[] toFloat(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }

    @Test
    void savedStateResumesExactly(@TempDir Path dir) {
        float[] cw = {1f, -2f, 0.5f, 3f};
        float[] cb = {-1f, 4f};
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, Parameter> straight = parameters(m);
            Map<String, Parameter> resumed = parameters(m);
            try (AdamW a = new AdamW(SETTINGS, m);
                    AdamW b = new AdamW(SETTINGS, m)) {
                for (int i = 0; i < 4; i++) {
                    backward(straight, cw, cb);
                    a.update(straight, 0.05f);
                }
                for (int i = 0; i < 2; i++) {
                    backward(resumed, cw, cb);
                    b.update(resumed, 0.05f);
                }
                b.save(dir.resolve("optimizer.safetensors"));
            }
            try (AdamW c = new AdamW(SETTINGS, m)) {
                c.load(dir.resolve("optimizer.safetensors"));
                for (int i = 0; i < 2; i++) {
                    backward(resumed, cw, cb);
                    c.update(resumed, 0.05f);
                }
            }
            assertArrayEquals(
                    straight.get("w").getArray().toFloatArray(),
                    resumed.get("w").getArray().toFloatArray(),
                    0f);
        }
    }
}
