package dev.rlhf.core.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.TestModels;
import dev.rlhf.core.train.NextTokenLoss;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The adapter's scale is multiplied under autograd; it must outlive the forward (see {@code Scalars}): gradients are
 * the same whether or not garbage is collected, and freed direct memory refilled with NaN, before backward.
 */
class LoraGradientLifetimeTest {

    @Test
    void adapterGradientsSurviveGarbageCollectionBeforeBackward() {
        try (LanguageModel lm = LanguageModel.create(TestModels.tiny(40, 4, 2, false), 3)) {
            LoraModel lora = LoraModel.attach(lm, LoraSettings.of(4, 8), 5);
            try (NDManager m = lm.manager().newSubManager()) {
                LoraFixtures.randomize(lora.adapterParameters(), m);
            }
            Map<String, float[]> calm = gradients(lm, lora, false);
            Map<String, float[]> churned = gradients(lm, lora, true);
            assertEquals(calm.keySet(), churned.keySet());
            calm.forEach((name, g) -> assertArrayEquals(g, churned.get(name), 1e-6f, name));
        }
    }

    private static Map<String, float[]> gradients(LanguageModel lm, LoraModel lora, boolean churn) {
        Map<String, float[]> out = new LinkedHashMap<>();
        try (NDManager m = lm.manager().newSubManager()) {
            NDList batch = new NDList(LoraFixtures.ids(m), LoraFixtures.mask(m));
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray loss = new NextTokenLoss()
                        .evaluate(
                                batch,
                                new NDList(lm.block().nextTokenLogits(new ParameterStore(m, false), batch, true)));
                if (churn) {
                    churn();
                }
                gc.backward(loss);
            }
            lora.trainableParameters().forEach((name, p) -> {
                out.put(name, p.getArray().getGradient().toFloatArray());
                p.getArray().getGradient().muli(0);
            });
        }
        return out;
    }

    /** Collects garbage, then allocates small direct buffers full of NaN into the memory it freed. */
    private static void churn() {
        System.gc();
        List<ByteBuffer> junk = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(4 + 4 * (i % 4)).order(ByteOrder.nativeOrder());
            while (buffer.remaining() >= 4) {
                buffer.putFloat(Float.NaN);
            }
            junk.add(buffer);
        }
    }
}
