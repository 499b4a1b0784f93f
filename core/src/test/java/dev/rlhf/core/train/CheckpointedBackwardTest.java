package dev.rlhf.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import dev.rlhf.core.lora.LoraModel;
import dev.rlhf.core.lora.LoraSettings;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.LlamaConfig;
import dev.rlhf.core.model.NoGrad;
import dev.rlhf.core.model.RewardModel;
import dev.rlhf.core.model.TestModels;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Activation checkpointing changes memory, not the math: the loss and every gradient equal the whole graph's, for full
 * fine-tuning (tied and untied embeddings, grouped-query attention, Qwen3's q/k norms) and for LoRA adapters on a
 * frozen base, with gradients adding up across micro-batches as before.
 */
class CheckpointedBackwardTest {

    private static final long[][] IDS = {{3, 1, 4, 1, 5, 9, 2, 6, 5, 3}, {2, 7, 1, 8, 2, 8, 1, 8, 0, 0}};
    private static final long[][] MASK = {{1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, {1, 1, 1, 1, 1, 1, 1, 1, 0, 0}};

    @Test
    void fullFineTuningGetsTheWholeGraphsGradients() {
        for (LlamaConfig config : new LlamaConfig[] {
            TestModels.tiny(40, 4, 2, true), TestModels.tiny(40, 4, 4, false), TestModels.qwen3(40)
        }) {
            try (LanguageModel lm = LanguageModel.create(config, 3)) {
                compare(lm, lm.block().hfParameters());
            }
        }
    }

    @Test
    void loraAdaptersGetTheWholeGraphsGradientsAndTheBaseNone() {
        try (LanguageModel lm = LanguageModel.create(TestModels.qwen3(40), 3)) {
            LoraModel lora = LoraModel.attach(lm, LoraSettings.of(4, 8), 1);
            try (NoGrad noGrad = NoGrad.open();
                    NDManager m = lm.manager().newSubManager()) {
                for (Parameter p : lora.adapterParameters().values()) {
                    p.getArray().addi(m.randomNormal(p.getArray().getShape()).mul(0.1f));
                }
            }
            compare(lm, lora.adapterParameters());
            lm.block()
                    .hfParameters()
                    .values()
                    .forEach(p -> assertFalse(p.getArray().hasGradient()));
        }
    }

    @Test
    void aRewardModelsRankingLossGetsTheWholeGraphsGradients() {
        try (RewardModel rm = RewardModel.withNewHead(LanguageModel.create(TestModels.tiny(40, 4, 2, true), 3), 5);
                NDManager m = rm.languageModel().manager().newSubManager()) {
            NDArray ids = m.create(IDS);
            NDArray mask = m.create(MASK);
            Map<String, Parameter> trainable = rm.hfParameters();
            float whole = TrainStep.backward(m, ps -> margin(rm.rewards(ps, ids, mask, true)), 1f)
                    .head()
                    .getFloat();
            Map<String, float[]> expected = new LinkedHashMap<>();
            trainable.forEach(
                    (name, p) -> expected.put(name, p.getArray().getGradient().toFloatArray()));
            zero(trainable);
            float checkpointed = CheckpointedBackward.backward(
                            rm.languageModel().block().backbone(),
                            new NDList(ids, mask),
                            (ps, hidden) -> margin(rm.rewardsOf(ps, hidden, mask, true)),
                            1f)
                    .head()
                    .getFloat();
            assertEquals(whole, checkpointed, 1e-6f);
            trainable.forEach((name, p) -> assertTrue(
                    TestModels.maxAbsDiff(
                                    expected.get(name),
                                    p.getArray().getGradient().toFloatArray())
                            <= 1e-5f * Math.max(1e-3f, maxAbs(expected.get(name))),
                    name));
        }
    }

    /** -log sigmoid(r_0 - r_1): the first row preferred, as a ranking loss over one pair. */
    private static NDList margin(NDArray rewards) {
        NDArray difference = rewards.get(0).sub(rewards.get(1));
        return new NDList(difference.neg().exp().add(1f).log());
    }

    /** Two micro-batches each way (scaled by 1/2): same losses, same accumulated gradients. */
    private static void compare(LanguageModel lm, Map<String, Parameter> trainable) {
        Map<String, float[]> whole = new LinkedHashMap<>();
        float[] wholeLoss = new float[2];
        float[] checkpointedLoss = new float[2];
        try (NDManager m = lm.manager().newSubManager()) {
            for (int step = 0; step < 2; step++) {
                wholeLoss[step] = TrainStep.backward(lm.block(), inputs(m), labels(m), 0.5f);
            }
            trainable.forEach(
                    (name, p) -> whole.put(name, p.getArray().getGradient().toFloatArray()));
            zero(trainable);
            for (int step = 0; step < 2; step++) {
                checkpointedLoss[step] = TrainStep.backwardCheckpointed(lm.block(), inputs(m), labels(m), 0.5f);
            }
        }
        assertEquals(wholeLoss[0], checkpointedLoss[0], 1e-6f);
        assertEquals(wholeLoss[1], checkpointedLoss[1], 1e-6f);
        trainable.forEach((name, p) -> {
            float[] expected = whole.get(name);
            float[] actual = p.getArray().getGradient().toFloatArray();
            float scale = Math.max(1e-3f, maxAbs(expected));
            assertTrue(maxAbs(expected) > 0 || name.contains("lora_A"), name + " has a gradient");
            assertTrue(
                    TestModels.maxAbsDiff(expected, actual) <= 1e-5f * scale + 1e-7f,
                    name + ": " + TestModels.maxAbsDiff(expected, actual) + " of " + scale);
        });
        zero(trainable);
    }

    private static NDList inputs(NDManager m) {
        return new NDList(m.create(IDS), m.create(MASK));
    }

    private static NDList labels(NDManager m) {
        return new NDList(m.create(IDS), m.create(MASK));
    }

    private static void zero(Map<String, Parameter> parameters) {
        try (NoGrad noGrad = NoGrad.open()) {
            parameters.values().forEach(p -> {
                NDArray g = p.getArray().getGradient();
                g.subi(g);
            });
        }
    }

    private static float maxAbs(float[] values) {
        float max = 0;
        for (float v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }
}
