package dev.rlhf.core.engine;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** Loads the PyTorch engine and runs one op; run in a fresh JVM by {@link OfflineEngineTest}. */
public final class EngineProbe {

    private EngineProbe() {}

    public static void main(String[] args) {
        Engine engine = Engine.getEngine("PyTorch");
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray product = m.create(new float[] {1, 2, 3, 4}, new ai.djl.ndarray.types.Shape(2, 2))
                    .matMul(m.create(new float[] {5, 6, 7, 8}, new ai.djl.ndarray.types.Shape(2, 2)));
            float[] v = product.toFloatArray();
            System.out.println("engine=" + engine.getEngineName() + " version=" + engine.getVersion() + " result="
                    + v[0] + "," + v[1] + "," + v[2] + "," + v[3]);
        }
    }
}
