package dev.rlhf.core.ppo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/** The clipped value loss on hand-worked tokens. */
class ValueLossTest {

    // c = 0.2, old values 0.5 everywhere; the fourth token is padding with junk.
    //   v = 1.0, R = 1.2: vClipped = 0.7; (v-R)^2 = 0.04, (vClipped-R)^2 = 0.25 -> 0.25, clipped branch
    //   v = 2.0, R = 0.0: vClipped = 0.7; 4.00 vs 0.49 -> 4
    //   v = 0.0, R = 3.0: vClipped = 0.3; 9.00 vs 7.29 -> 9
    // vfLoss = 0.5 * (0.25 + 4 + 9) / 3, vfClipFrac = 1/3
    private static final float[] V = {1, 2, 0, 8};
    private static final float[] OLD = {0.5f, 0.5f, 0.5f, -8};
    private static final float[] R = {1.2f, 0, 3, 100};
    private static final float[] MASK = {1, 1, 1, 0};

    @Test
    void clippedValueLossByHand() {
        try (NDManager m = NDManager.newBaseManager()) {
            ValueLoss.Result result = ValueLoss.compute(row(m, V), row(m, OLD), row(m, R), row(m, MASK), 0.2);
            assertEquals(0.5f * 13.25f / 3, result.loss().getFloat(), 1e-6f);
            assertEquals(1f / 3, result.clipFrac(), 1e-6f);
        }
    }

    @Test
    void gradientFollowsTheLargerBranch() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray values = row(m, V);
            values.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(ValueLoss.compute(values, row(m, OLD), row(m, R), row(m, MASK), 0.2)
                        .loss());
            }
            // token 0 takes the clipped branch, flat in v; tokens 1, 2: d/dv 0.5 * (v - R)^2 / 3 = (v - R) / 3
            assertArrayEquals(
                    new float[] {0, 2f / 3, -1f, 0}, values.getGradient().toFloatArray(), 1e-6f);
        }
    }

    private static NDArray row(NDManager m, float[] values) {
        return m.create(values, new Shape(1, values.length));
    }
}
