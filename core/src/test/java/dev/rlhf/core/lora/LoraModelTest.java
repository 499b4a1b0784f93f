package dev.rlhf.core.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.LlamaConfig;
import dev.rlhf.core.model.RewardModel;
import dev.rlhf.core.model.RopeScaling;
import dev.rlhf.core.model.TestModels;
import dev.rlhf.core.train.TrainStep;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Adapters on whole models: outputs, the off switch, merging, what trains, and the parameter count. */
class LoraModelTest {

    @Test
    void freshAdaptersLeaveTheOutputsExactlyAsTheBaseModel() {
        try (LanguageModel lm = LanguageModel.create(TestModels.qwen3(40), 1);
                NDManager m = lm.manager().newSubManager()) {
            float[] base = LoraFixtures.logits(lm, m);
            LoraModel lora = LoraModel.attach(lm, LoraSettings.of(4, 8), 3);
            assertEquals(2 * 7, lora.targets().size());
            assertArrayEquals(base, LoraFixtures.logits(lm, m), 0f);
            assertThrows(IllegalStateException.class, () -> LoraModel.attach(lm, LoraSettings.of(4, 8), 3));
        }
    }

    @Test
    void adaptersOffGiveTheBaseOutputsAfterTraining() {
        try (LanguageModel lm = LanguageModel.create(TestModels.tiny(40, 4, 2, false), 1);
                NDManager m = lm.manager().newSubManager()) {
            float[] base = LoraFixtures.logits(lm, m);
            LoraModel lora = LoraModel.attach(lm, new LoraSettings(4, 8, 0.1, LoraSettings.LINEARS, false), 3);
            LoraFixtures.train(lm, lora, 5);
            float[] adapted = LoraFixtures.logits(lm, m);
            assertTrue(TestModels.maxAbsDiff(base, adapted) > 1e-3, "training changed the adapted outputs");
            try (LoraModel.Disabled off = lora.disabled()) {
                assertArrayEquals(base, LoraFixtures.logits(lm, m), 0f);
            }
            assertArrayEquals(adapted, LoraFixtures.logits(lm, m), 0f);
        }
    }

    @Test
    void mergedWeightsGiveTheAdaptedOutputs() {
        try (LanguageModel lm = LanguageModel.create(TestModels.qwen2(40), 1);
                NDManager m = lm.manager().newSubManager()) {
            LoraModel lora = LoraModel.attach(lm, new LoraSettings(8, 16, 0, LoraSettings.LINEARS, true), 3);
            LoraFixtures.randomize(lora.adapterParameters(), m);
            float[] adapted = LoraFixtures.logits(lm, m);
            Map<String, float[]> before = LoraFixtures.snapshot(lm.block().hfParameters());
            lora.merge();
            float mergeError = TestModels.maxAbsDiff(adapted, LoraFixtures.logits(lm, m));
            System.out.printf("merged vs adapter forward: max |difference| %.2e%n", mergeError);
            assertTrue(mergeError < 1e-5, "merged = adapted, got " + mergeError);
            assertThrows(IllegalStateException.class, lora::disabled);
            lora.unmerge();
            Map<String, Parameter> after = lm.block().hfParameters();
            before.forEach((name, values) ->
                    assertArrayEquals(values, after.get(name).getArray().toFloatArray(), 1e-6f, name));
            assertArrayEquals(adapted, LoraFixtures.logits(lm, m), 1e-5f);
        }
    }

    @Test
    void mergeAndUnloadLeavesAPlainTrainableModelThatTakesANewAdapter() {
        try (LanguageModel lm = LanguageModel.create(TestModels.tiny(40, 4, 2, false), 1);
                NDManager m = lm.manager().newSubManager()) {
            LoraModel sft = LoraModel.attach(lm, LoraSettings.of(4, 8), 3);
            LoraFixtures.randomize(sft.adapterParameters(), m);
            float[] adapted = LoraFixtures.logits(lm, m);
            sft.mergeAndUnload();
            assertTrue(LoraModel.linears(lm.block()).values().stream().allMatch(l -> l.adapter() == null));
            lm.block().hfParameters().forEach((name, p) -> assertTrue(p.requiresGradient(), name + " thawed"));
            assertArrayEquals(adapted, LoraFixtures.logits(lm, m), 1e-5f);

            LoraModel next = LoraModel.attach(lm, LoraSettings.of(2, 4), 5);
            LoraFixtures.train(lm, next, 3);
            try (LoraModel.Disabled off = next.disabled()) {
                assertArrayEquals(adapted, LoraFixtures.logits(lm, m), 1e-5f, "the new adapter off is the merged one");
            }
        }
    }

    @Test
    void onlyAdapterParametersGetGradients() {
        try (LanguageModel lm = LanguageModel.create(TestModels.tiny(40, 4, 2, true), 1);
                NDManager m = lm.manager().newSubManager()) {
            LoraModel lora = LoraModel.attach(lm, LoraSettings.of(4, 8), 3);
            LoraFixtures.randomize(lora.adapterParameters(), m);
            NDList batch = new NDList(LoraFixtures.ids(m), LoraFixtures.mask(m));
            TrainStep.backward(lm.block(), batch, batch, 1f);
            lm.block()
                    .hfParameters()
                    .forEach((name, p) -> assertFalse(p.getArray().hasGradient(), name));
            lora.adapterParameters().forEach((name, p) -> assertTrue(gradientNorm(p) > 0, name));
        }
    }

    @Test
    void aRewardModelTrainsItsAdaptersAndItsScoreHead() {
        try (RewardModel rm = RewardModel.withNewHead(LanguageModel.create(TestModels.tiny(40, 4, 2, false), 1), 2);
                NDManager m = rm.languageModel().manager().newSubManager()) {
            LoraModel lora = LoraModel.attach(rm, LoraSettings.of(4, 8), 3);
            assertEquals(LoraModel.TaskType.SEQ_CLS, lora.taskType());
            assertEquals(List.of("score"), lora.modulesToSaveNames());
            LoraFixtures.randomize(lora.adapterParameters(), m);
            TrainStep.backward(
                    m,
                    ps -> new NDList(rm.rewards(ps, LoraFixtures.ids(m), LoraFixtures.mask(m), true)
                            .sum()),
                    1f);
            rm.languageModel()
                    .block()
                    .hfParameters()
                    .forEach((name, p) -> assertFalse(p.getArray().hasGradient(), name));
            lora.trainableParameters().forEach((name, p) -> assertTrue(gradientNorm(p) > 0, name));
            assertTrue(lora.trainableParameters().containsKey("base_model.model.score.weight"));
            assertEquals("trainable params: 4,128 || all params: 24,000 || trainable%: 17.2000", lora.describe());
        }
    }

    @Test
    void oneAdamWStepChangesOnlyAdapterTensors() {
        try (LanguageModel lm = LanguageModel.create(TestModels.tiny(40, 4, 2, false), 1);
                NDManager m = lm.manager().newSubManager()) {
            LoraModel lora = LoraModel.attach(lm, LoraSettings.of(4, 8), 3);
            LoraFixtures.randomize(lora.adapterParameters(), m);
            Map<String, float[]> base = LoraFixtures.snapshot(lm.block().hfParameters());
            Map<String, float[]> adapters = LoraFixtures.snapshot(lora.adapterParameters());
            LoraFixtures.train(lm, lora, 1);
            lm.block()
                    .hfParameters()
                    .forEach((name, p) ->
                            assertArrayEquals(base.get(name), p.getArray().toFloatArray(), 0f, name));
            lora.adapterParameters()
                    .forEach((name, p) -> assertTrue(
                            TestModels.maxAbsDiff(
                                            adapters.get(name), p.getArray().toFloatArray())
                                    > 0,
                            name + " moved"));
        }
    }

    /** Untied tiny Llama: 21,152 base parameters; r = 4 on all seven linears of 2 layers: 2 x 2,048. */
    @Test
    void describesTrainableAndTotalParametersAsPeftPrintsThem() {
        try (LanguageModel lm = LanguageModel.create(TestModels.tiny(40, 4, 2, false), 1)) {
            LoraModel lora = LoraModel.attach(lm, LoraSettings.of(4, 8), 3);
            assertEquals(21_152, lm.parameterCount());
            assertEquals(4_096, lora.trainableParameterCount());
            assertEquals(25_248, lora.totalParameterCount());
            assertEquals("trainable params: 4,096 || all params: 25,248 || trainable%: 16.2231", lora.describe());
            LoraModel attention = LoraModel.attach(
                    LanguageModel.create(TestModels.tiny(40, 4, 2, false), 1),
                    new LoraSettings(4, 8, 0, List.of("q_proj", "v_proj"), false),
                    3);
            assertEquals(2 * (4 * (32 + 32) + 4 * (32 + 16)), attention.trainableParameterCount());
        }
    }

    /** The count from the config alone equals the attached one, also where head_dim is not hidden / heads. */
    @Test
    void countsAdapterParametersFromTheConfigAlone() {
        for (LlamaConfig config : new LlamaConfig[] {TestModels.qwen3(40), TestModels.tiny(40, 4, 2, false)}) {
            try (LanguageModel lm = LanguageModel.create(config, 1)) {
                LoraSettings settings = new LoraSettings(3, 6, 0, List.of("q_proj", "o_proj", "down_proj"), false);
                assertEquals(
                        settings.parameterCount(config),
                        LoraModel.attach(lm, settings, 2).trainableParameterCount(),
                        config.modelType());
            }
        }
        // Qwen3-0.6B (bench/real-size/qwen3-0.6b.json): r = 16 on all seven linears, 28 layers x 360,448.
        LlamaConfig qwen3 = new LlamaConfig(
                "Qwen3ForCausalLM",
                "qwen3",
                151936,
                1024,
                3072,
                28,
                16,
                8,
                128,
                1e-6,
                1e6,
                RopeScaling.NONE,
                40960,
                0,
                true,
                false,
                false,
                151643,
                151645);
        assertEquals(10_092_544, LoraSettings.of(16, 32).parameterCount(qwen3));
    }

    private static float gradientNorm(Parameter p) {
        return p.getArray().getGradient().abs().sum().getFloat();
    }
}
