package dev.rlhf.core.export;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.LlamaConfig;
import java.util.Map;

/**
 * Models whose every parameter matters: at the default init (std 0.02, norms at one, zero biases) attention is
 * nearly uniform and the logits nearly flat, so a wrong rotation or head order could hide under the tolerance.
 */
final class RandomWeights {

    private RandomWeights() {}

    /** Weights std 0.2, biases std 0.1, norm gains 1 + N(0, 0.1). */
    static LanguageModel model(LlamaConfig config, long seed) {
        LanguageModel lm = LanguageModel.create(config, seed);
        try (NDManager m = lm.manager().newSubManager()) {
            for (Map.Entry<String, Parameter> e : lm.block().hfParameters().entrySet()) {
                NDArray target = e.getValue().getArray();
                String name = e.getKey();
                NDArray value;
                if (name.endsWith("norm.weight")) {
                    value = m.randomNormal(0f, 0.1f, target.getShape(), target.getDataType())
                            .add(1f);
                } else if (name.endsWith(".bias")) {
                    value = m.randomNormal(0f, 0.1f, target.getShape(), target.getDataType());
                } else {
                    value = m.randomNormal(0f, 0.2f, target.getShape(), target.getDataType());
                }
                target.set(value.toFloatArray());
            }
        }
        return lm;
    }
}
