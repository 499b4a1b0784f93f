package dev.rlhf.core.rollout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import dev.rlhf.core.lora.LoraModel;
import dev.rlhf.core.lora.LoraSettings;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.NoGrad;
import dev.rlhf.core.model.TestModels;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A LoRA policy's reference is its own base: the adapters off give exactly what the model gave before they came. */
class AdapterOffReferenceTest {

    private static final List<long[]> SEQUENCES = List.of(new long[] {3, 1, 4, 1, 5, 9, 2}, new long[] {2, 7, 1, 8});

    @Test
    void theReferenceWithTheAdaptersOffIsTheBaseModel() {
        try (LanguageModel lm = LanguageModel.create(TestModels.tiny(20, 4, 2, false), 5)) {
            List<float[]> base = new LocalScorer(lm, null).referenceLogprobs(SEQUENCES);
            LoraModel lora = LoraModel.attach(lm, LoraSettings.of(4, 8), 1);
            trainedLooking(lora, lm);
            List<float[]> adapted = new LocalScorer(lm, null).referenceLogprobs(SEQUENCES);
            Scorer rewards = new Scorer() {
                @Override
                public List<float[]> referenceLogprobs(List<long[]> sequences) {
                    throw new AssertionError("the reference is local");
                }

                @Override
                public float[] rewards(List<long[]> sequences) {
                    return new float[] {0.5f, -1f};
                }
            };
            AdapterOffReference scorer = new AdapterOffReference(lm, lora, rewards);

            List<float[]> reference = scorer.referenceLogprobs(SEQUENCES); // one right-padded batch
            for (int i = 0; i < SEQUENCES.size(); i++) {
                assertEquals(SEQUENCES.get(i).length - 1, reference.get(i).length);
                assertTrue(
                        TestModels.maxAbsDiff(base.get(i), reference.get(i)) < 1e-5,
                        "row " + i + ": " + TestModels.maxAbsDiff(base.get(i), reference.get(i)));
                assertTrue(TestModels.maxAbsDiff(base.get(i), adapted.get(i)) > 1e-3, "the adapter changes the policy");
            }
            List<float[]> after = new LocalScorer(lm, null).referenceLogprobs(SEQUENCES);
            for (int i = 0; i < SEQUENCES.size(); i++) {
                assertArrayEquals(adapted.get(i), after.get(i), "the adapters are on again afterwards");
            }
            assertArrayEquals(new float[] {0.5f, -1f}, scorer.rewards(SEQUENCES));
        }
    }

    /** Every B drawn from N(0, 0.5), so the adapters change the outputs. */
    private static void trainedLooking(LoraModel lora, LanguageModel lm) {
        try (NoGrad noGrad = NoGrad.open()) {
            lora.adapterParameters().forEach((name, p) -> {
                if (name.contains("lora_B")) {
                    NDArray value =
                            lm.manager().randomNormal(0f, 0.5f, p.getArray().getShape(), DataType.FLOAT32);
                    p.getArray().set(new NDIndex("..."), value);
                    value.close();
                }
            });
        }
    }
}
