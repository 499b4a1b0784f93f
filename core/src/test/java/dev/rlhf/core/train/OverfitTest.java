package dev.rlhf.core.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.LlamaConfig;
import dev.rlhf.core.model.TestModels;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The model, the loss and the optimizer can learn: a tiny model memorises one batch. */
class OverfitTest {

    @Test
    void tinyModelOverfitsOneBatch() {
        float[] loss = train(TestModels.tiny(64, 4, 2, false), 4, 32, 300);
        assertTrue(loss[1] < 0.1f * loss[0], "loss " + loss[0] + " -> " + loss[1] + " must fall by more than 90%");
    }

    static LlamaConfig[] families() {
        return new LlamaConfig[] {TestModels.qwen3(64), TestModels.llama3Rope(64)};
    }

    /** Qwen3 (q/k norm) and Llama 3.1 rope scaling learn too, in a shorter run; every parameter moves. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void otherFamiliesLearnWithEveryParameter(LlamaConfig config) {
        float[] loss = train(config, 2, 16, 40);
        System.out.printf("%s: loss %.3f -> %.3f in 40 steps%n", config.modelType(), loss[0], loss[1]);
        assertTrue(loss[1] < 0.6f * loss[0], "loss " + loss[0] + " -> " + loss[1] + " must fall by more than 40%");
    }

    /** The first and last loss of {@code steps} AdamW steps on one random (rows, length) batch. */
    private static float[] train(LlamaConfig config, int rows, int length, int steps) {
        try (LanguageModel lm = LanguageModel.create(config, 7);
                AdamW adam = new AdamW(new AdamW.Settings(0.9f, 0.99f, 1e-8f, 0f), lm.manager());
                NDManager data = lm.manager().newSubManager()) {
            NDArray ids = data.randomInteger(2, 64, new Shape(rows, length), DataType.INT64);
            NDArray mask = data.ones(new Shape(rows, length), DataType.INT64);
            Map<String, Parameter> parameters = lm.block().hfParameters();
            Map<String, float[]> initial = new HashMap<>();
            parameters.forEach((name, p) -> initial.put(name, p.getArray().toFloatArray()));
            float first = Float.NaN;
            float last = Float.NaN;
            for (int step = 0; step < steps; step++) {
                try (NDManager m = data.newSubManager()) {
                    NDList batch = new NDList(ids, mask);
                    m.tempAttachAll(batch);
                    last = TrainStep.backward(lm.block(), batch, batch, 1f);
                    first = step == 0 ? last : first;
                    adam.update(parameters, 3e-3f);
                }
            }
            parameters.forEach((name, p) -> assertTrue(
                    TestModels.maxAbsDiff(initial.get(name), p.getArray().toFloatArray()) > 0, name + " was trained"));
            return new float[] {first, last};
        }
    }
}
