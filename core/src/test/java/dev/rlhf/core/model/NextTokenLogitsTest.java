package dev.rlhf.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.rlhf.core.train.NextTokenLoss;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The head applied to the shifted hidden states gives what the full logits gave: the same logits at positions 0..T-2,
 * the same log-probs, and the same loss and gradients as the next-token loss over a slice of the full (B, T, V) logits.
 */
class NextTokenLogitsTest {

    private static final long[][] MASK = {{1, 1, 1, 1, 1, 1, 1, 1, 1}, {0, 0, 0, 1, 1, 1, 1, 1, 1}};

    @Test
    void logitsAndLogProbsMatchTheFullLogitsWithoutTheLastPosition() {
        for (boolean tied : new boolean[] {true, false}) {
            try (LanguageModel lm = LanguageModel.create(TestModels.tiny(40, 4, 2, tied), 5);
                    NDManager m = lm.manager().newSubManager()) {
                NDArray ids = m.randomInteger(1, 40, new Shape(2, 9), DataType.INT64);
                NDList inputs = new NDList(ids, m.create(MASK));
                NDArray full = lm.logits(ids, inputs.get(1)); // (2, 9, V)
                NDArray shifted = lm.block().nextTokenLogits(lm.inferenceStore(), inputs, false); // (2, 8, V)
                assertEquals(new Shape(2, 8, 40), shifted.getShape());
                assertTrue(TestModels.maxAbsDiff(full.get(new NDIndex(":, :-1")), shifted) < 1e-5, "tied " + tied);
                NDArray logp = LogProbs.ofNextTokens(lm.block(), lm.inferenceStore(), inputs, false);
                assertTrue(TestModels.maxAbsDiff(LogProbs.ofNextTokens(full, ids), logp) < 1e-5, "tied " + tied);
                NDArray middle = lm.block().logits(lm.inferenceStore(), inputs, 3, 6, false); // (2, 3, V)
                assertTrue(TestModels.maxAbsDiff(full.get(new NDIndex(":, 3:6")), middle) < 1e-5, "tied " + tied);
            }
        }
    }

    @Test
    void lossAndGradientsMatchTheLossOverTheFullLogits() {
        try (LanguageModel lm = LanguageModel.create(TestModels.qwen3(40), 3);
                NDManager m = lm.manager().newSubManager()) {
            NDArray ids = m.randomInteger(1, 40, new Shape(2, 9), DataType.INT64);
            NDList inputs = new NDList(ids, m.create(MASK));
            NDArray lossMask = m.create(new long[][] {{0, 0, 0, 1, 1, 1, 1, 1, 0}, {0, 0, 0, 0, 0, 1, 1, 1, 1}});
            Function<ParameterStore, NDArray> fullLoss = ps -> {
                NDArray logits = lm.block().forward(ps, inputs, true).singletonOrThrow(); // (B, T, V)
                NDArray logp = LogProbs.ofNextTokens(logits, ids); // the slice of the full logits
                NDArray mask = lossMask.get(new NDIndex(":, 1:")).toType(DataType.FLOAT32, false);
                return logp.mul(mask).sum().neg().div(mask.sum());
            };
            Function<ParameterStore, NDArray> shiftedLoss = ps -> new NextTokenLoss()
                    .evaluate(new NDList(ids, lossMask), new NDList(lm.block().nextTokenLogits(ps, inputs, true)));
            Map<String, Parameter> parameters = lm.block().hfParameters();
            float[] expected = new float[1];
            Map<String, float[]> expectedGrads = gradients(parameters, m, fullLoss, expected);
            float[] actual = new float[1];
            Map<String, float[]> actualGrads = gradients(parameters, m, shiftedLoss, actual);
            assertEquals(expected[0], actual[0], 1e-5f);
            expectedGrads.forEach(
                    (name, g) -> assertTrue(TestModels.maxAbsDiff(g, actualGrads.get(name)) < 1e-6, name));
        }
    }

    @Test
    void theLossRefusesFullLogits() {
        try (LanguageModel lm = LanguageModel.create(TestModels.tiny(40, 4, 2, true), 5);
                NDManager m = lm.manager().newSubManager()) {
            NDArray ids = m.randomInteger(1, 40, new Shape(2, 9), DataType.INT64);
            NDArray full = lm.logits(ids, m.create(MASK));
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> new NextTokenLoss().evaluate(new NDList(ids, m.create(MASK)), new NDList(full)));
            assertTrue(e.getMessage().contains("T-1 = 8"), e.getMessage());
        }
    }

    private static Map<String, float[]> gradients(
            Map<String, Parameter> parameters, NDManager m, Function<ParameterStore, NDArray> loss, float[] value) {
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray l = loss.apply(new ParameterStore(m, false));
            value[0] = l.getFloat();
            gc.backward(l);
        }
        Map<String, float[]> out = new LinkedHashMap<>();
        parameters.forEach((name, p) -> {
            try (NDArray grad = p.getArray().getGradient()) {
                out.put(name, grad.toFloatArray());
                grad.set(new NDIndex("..."), 0);
            }
        });
        return out;
    }
}
