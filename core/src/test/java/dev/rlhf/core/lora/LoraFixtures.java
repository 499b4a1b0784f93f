package dev.rlhf.core.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.NoGrad;
import dev.rlhf.core.train.AdamW;
import dev.rlhf.core.train.TrainStep;
import java.util.HashMap;
import java.util.Map;

/** A fixed batch, and adapters that are no longer fresh (random B, or a few AdamW steps). */
final class LoraFixtures {

    static final long[][] IDS = {{3, 1, 4, 1, 5, 9, 2, 6}, {2, 7, 1, 8, 2, 8, 1, 8}};

    private LoraFixtures() {}

    static NDArray ids(NDManager m) {
        return m.create(IDS);
    }

    static NDArray mask(NDManager m) {
        return m.ones(new ai.djl.ndarray.types.Shape(IDS.length, IDS[0].length), DataType.INT64);
    }

    static float[] logits(LanguageModel lm, NDManager m) {
        return lm.logits(ids(m), mask(m)).toFloatArray();
    }

    /** Sets every B (and the other trainable tensors) to N(0, 0.05) draws, as if trained. */
    static void randomize(Map<String, Parameter> parameters, NDManager m) {
        try (NoGrad noGrad = NoGrad.open()) {
            parameters.forEach((name, p) -> {
                if (!name.contains("lora_A")) {
                    NDArray value = m.randomNormal(0f, 0.05f, p.getArray().getShape(), DataType.FLOAT32);
                    p.getArray().set(new NDIndex("..."), value);
                }
            });
        }
    }

    /** {@code steps} AdamW steps on the next-token loss of the fixed batch, updating only the trainable tensors. */
    static void train(LanguageModel lm, LoraModel lora, int steps) {
        try (AdamW adam = new AdamW(new AdamW.Settings(0.9f, 0.99f, 1e-8f, 0.01f), lm.manager())) {
            for (int step = 0; step < steps; step++) {
                try (NDManager m = lm.manager().newSubManager()) {
                    NDList batch = new NDList(ids(m), mask(m));
                    TrainStep.backward(lm.block(), batch, batch, 1f);
                    adam.update(lora.trainableParameters(), 1e-2f);
                }
            }
        }
    }

    static Map<String, float[]> snapshot(Map<String, Parameter> parameters) {
        Map<String, float[]> out = new HashMap<>();
        parameters.forEach((name, p) -> out.put(name, p.getArray().toFloatArray()));
        return out;
    }
}
