package dev.rlhf.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.rlhf.core.lora.LoraModel;
import dev.rlhf.core.lora.LoraSettings;
import org.junit.jupiter.api.Test;

/**
 * A forward that records no graph frees each decoder layer's intermediates as the layer ends (DJL would keep every
 * array until the caller's manager closes): what stays in the caller's manager does not grow with the number of
 * layers, and the outputs are the same as a recording forward's.
 */
class InferenceScopesTest {

    private static final long[][] IDS = {{3, 1, 4, 1, 5, 9, 2, 6}};

    @Test
    void aNoGradForwardLeavesTheSameFewArraysWhateverTheDepth() {
        int shallow = arraysLeft(TestModels.tiny(40, 4, 2, true, 2));
        assertEquals(shallow, arraysLeft(TestModels.tiny(40, 4, 2, true, 8)), "per-layer arrays were freed");
    }

    @Test
    void outputsEqualARecordingForwards() {
        try (LanguageModel lm = LanguageModel.create(TestModels.qwen3(40), 3);
                NDManager m = lm.manager().newSubManager()) {
            LoraModel.attach(lm, LoraSettings.of(4, 8), 1); // adapters require gradients: the forward records
            NDArray ids = m.create(IDS);
            float[] recorded;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                assertTrue(NoGrad.recording());
                recorded = lm.logits(ids, ids.onesLike()).toFloatArray();
            }
            float[] scoped;
            try (NoGrad noGrad = NoGrad.open()) {
                scoped = lm.logits(ids, ids.onesLike()).toFloatArray();
            }
            assertArrayEquals(recorded, scoped, 0f);
        }
    }

    private static int arraysLeft(LlamaConfig config) {
        try (LanguageModel lm = LanguageModel.create(config, 3);
                NoGrad noGrad = NoGrad.open();
                NDManager m = lm.manager().newSubManager()) {
            NDArray ids = m.create(IDS);
            lm.block().backbone().forward(lm.inferenceStore(), new NDList(ids, ids.onesLike()), false);
            return m.getManagedArrays().size();
        }
    }
}
