package dev.rlhf.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Global-norm clipping against the norm and the scaling computed by hand. */
class GradientClippingTest {

    /** A parameter whose gradient is {@code grad}: the gradient of sum(w * grad). */
    private static Parameter withGradient(NDManager m, String name, float[] grad, Shape shape) {
        Parameter p =
                Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).build();
        NDArray w = m.ones(shape);
        w.setRequiresGradient(true);
        p.setArray(w);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(w.mul(m.create(grad, shape)).sum());
        }
        return p;
    }

    private static float[] gradient(Parameter p) {
        try (NDArray grad = p.getArray().getGradient()) {
            return grad.toFloatArray();
        }
    }

    @Test
    void scalesEveryGradientByMaxNormOverTheGlobalNorm() {
        try (NDManager m = NDManager.newBaseManager()) {
            // |g|^2 = (9 + 16) + (144) = 169: the global norm is 13, not either tensor's own norm
            Parameter a = withGradient(m, "a", new float[] {3f, -4f}, new Shape(2));
            Parameter b = withGradient(m, "b", new float[] {0f, 12f, 0f, 0f}, new Shape(2, 2));
            double norm = GradientClipping.clipGlobalNorm(List.of(a, b), 6.5);
            assertEquals(13.0, norm, 1e-5);
            float scale = (float) (6.5 / (13.0 + 1e-6));
            assertArrayEquals(new float[] {3f * scale, -4f * scale}, gradient(a), 1e-6f);
            assertArrayEquals(new float[] {0f, 12f * scale, 0f, 0f}, gradient(b), 1e-6f);
        }
    }

    @Test
    void leavesGradientsUnderTheLimitAloneAndClipsEachGroupToItsOwnNorm() {
        try (NDManager m = NDManager.newBaseManager()) {
            Parameter small = withGradient(m, "small", new float[] {0.3f, 0.4f}, new Shape(2)); // norm 0.5
            Parameter large = withGradient(m, "large", new float[] {6f, 8f}, new Shape(2)); // norm 10
            double[] norms = GradientClipping.clipGlobalNorms(List.of(List.of(small), List.of(large)), 2.0);
            assertArrayEquals(new double[] {0.5, 10.0}, norms, 1e-5);
            assertArrayEquals(new float[] {0.3f, 0.4f}, gradient(small), 0f);
            float scale = (float) (2.0 / (10.0 + 1e-6));
            assertArrayEquals(new float[] {6f * scale, 8f * scale}, gradient(large), 1e-6f);
        }
    }

    @Test
    void zeroMaxNormMeasuresWithoutClipping() {
        try (NDManager m = NDManager.newBaseManager()) {
            Parameter a = withGradient(m, "a", new float[] {30f, 40f}, new Shape(2));
            assertEquals(50.0, GradientClipping.clipGlobalNorm(List.of(a), 0), 1e-4);
            assertArrayEquals(new float[] {30f, 40f}, gradient(a), 0f);
        }
    }

    @Test
    void aNonFiniteNormScalesNothing() {
        try (NDManager m = NDManager.newBaseManager()) {
            Parameter finite = withGradient(m, "finite", new float[] {30f, 40f}, new Shape(2));
            Parameter overflow = withGradient(m, "overflow", new float[] {Float.POSITIVE_INFINITY, 1f}, new Shape(2));
            double[] norms = GradientClipping.clipGlobalNorms(List.of(List.of(finite), List.of(overflow)), 1.0);
            assertEquals(50.0, norms[0], 1e-4);
            assertTrue(Double.isInfinite(norms[1]));
            assertArrayEquals(new float[] {30f, 40f}, gradient(finite), 0f, "no group is scaled: the step is dropped");
        }
    }
}
