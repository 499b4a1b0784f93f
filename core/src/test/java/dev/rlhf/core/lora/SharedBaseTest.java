package dev.rlhf.core.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.LlamaConfig;
import dev.rlhf.core.model.TestModels;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One base for a learner and its rollout workers ({@link LanguageModel#sharingWeights}): the same arrays, the same
 * outputs, and adapters on either model that train and switch without touching the other.
 */
class SharedBaseTest {

    static LlamaConfig[] configs() {
        return new LlamaConfig[] {TestModels.tiny(40, 4, 2, false), TestModels.qwen3(40)};
    }

    @ParameterizedTest
    @MethodSource("configs")
    void theViewHoldsTheSourcesArraysAndGivesItsOutputs(LlamaConfig config) {
        try (LanguageModel source = LanguageModel.create(config, 1);
                LanguageModel view = LanguageModel.sharingWeights(source);
                NDManager m = source.manager().newSubManager()) {
            Map<String, Parameter> own = view.block().hfParameters();
            source.block().hfParameters().forEach((name, p) -> {
                assertSame(p.getArray(), own.get(name).getArray(), name);
                assertFalse(p.getArray().hasGradient() || p.requiresGradient(), name + " is frozen");
            });
            float[] logits = LoraFixtures.logits(source, m);
            assertArrayEquals(logits, LoraFixtures.logits(view, m), 0f);
            view.close();
            assertArrayEquals(logits, LoraFixtures.logits(source, m), 0f, "closing the view frees none of the base");
        }
    }

    @ParameterizedTest
    @MethodSource("configs")
    void adaptersOnEitherModelLeaveTheOtherAlone(LlamaConfig config) {
        try (LanguageModel learner = LanguageModel.create(config, 1);
                LanguageModel worker = LanguageModel.sharingWeights(learner);
                NDManager m = learner.manager().newSubManager()) {
            float[] base = LoraFixtures.logits(learner, m);
            Map<String, float[]> baseWeights =
                    LoraFixtures.snapshot(learner.block().hfParameters());
            LoraModel trained = LoraModel.attach(learner, LoraSettings.of(4, 8), 3);
            LoraModel sampled = LoraModel.attach(worker, LoraSettings.of(4, 8), 3);
            LoraFixtures.randomize(sampled.adapterParameters(), m);
            float[] workerAdapted = LoraFixtures.logits(worker, m);

            LoraFixtures.train(learner, trained, 3);

            assertTrue(TestModels.maxAbsDiff(base, LoraFixtures.logits(learner, m)) > 1e-3, "the learner trained");
            assertArrayEquals(workerAdapted, LoraFixtures.logits(worker, m), 0f);
            LoraFixtures.snapshot(worker.block().hfParameters())
                    .forEach((name, w) -> assertArrayEquals(baseWeights.get(name), w, 0f, name));
            try (LoraModel.Disabled off = sampled.disabled()) {
                assertArrayEquals(base, LoraFixtures.logits(worker, m), 0f);
            }
        }
    }
}
