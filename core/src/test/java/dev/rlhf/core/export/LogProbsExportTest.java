package dev.rlhf.core.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.onnxruntime.OrtException;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.LlamaConfig;
import dev.rlhf.core.model.LogProbs;
import dev.rlhf.core.model.TestModels;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The exported ref / policy graph returns DJL's per-token log-probs, on every real position. */
class LogProbsExportTest {

    private static final int VOCAB = 61;
    private static final float TOLERANCE = 1e-4f;

    @TempDir
    Path repository;

    static Stream<Arguments> configs() {
        return Stream.of(
                Arguments.of("qwen2 (qkv bias, tied, GQA)", TestModels.qwen2(VOCAB)),
                Arguments.of("llama (GQA 4:2, untied head)", TestModels.tiny(VOCAB, 4, 2, false)),
                Arguments.of("qwen3 (q/k norm, head_dim 16 != 32/4, tied)", TestModels.qwen3(VOCAB)),
                Arguments.of("llama 3.1 rope_scaling (all three bands)", TestModels.llama3Rope(VOCAB)),
                Arguments.of("mistral (GQA 4:1, no window)", TestModels.mistral(VOCAB, 0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void logProbsMatchDjlForOneRowAndForMixedPadding(String label, LlamaConfig config) throws OrtException {
        try (LanguageModel lm = RandomWeights.model(config, 17)) {
            ExportedModel exported =
                    OnnxExporter.export(repository, "policy", lm.block(), ExportOptions.logProbs(ServingRole.POLICY));
            try (OrtRunner ort = new OrtRunner(exported.file())) {
                long[][] ids1 = Batches.single(7, VOCAB, 3);
                long[][] mask1 = Batches.ones(1, 7);
                float diff1 = maxRealDiff(lm, (float[][]) ort.run(ids1, mask1), ids1, mask1);

                long[][] mask5 = Batches.mixedMask();
                long[][] ids5 = Batches.idsFor(mask5, VOCAB, 5);
                float diff5 = maxRealDiff(lm, (float[][]) ort.run(ids5, mask5), ids5, mask5);

                System.out.printf("%s: max |onnx - djl| log-prob B=1 %.3g, B=5 %.3g%n", label, diff1, diff5);
                assertTrue(diff1 < TOLERANCE, label + " B=1: " + diff1);
                assertTrue(diff5 < TOLERANCE, label + " B=5: " + diff5);
            }
        }
    }

    @Test
    void int32InputsGiveTheSameLogProbs() throws OrtException {
        try (LanguageModel lm = RandomWeights.model(TestModels.qwen2(VOCAB), 19)) {
            ExportedModel wide =
                    OnnxExporter.export(repository, "ref", lm.block(), ExportOptions.logProbs(ServingRole.REF));
            ExportedModel narrow = OnnxExporter.export(
                    repository,
                    "ref_int32",
                    lm.block(),
                    ExportOptions.logProbs(ServingRole.REF).withIdsType(ElementType.INT32));
            assertEquals(ElementType.INT32, narrow.inputs().get(0).type());
            long[][] mask = Batches.mixedMask();
            long[][] ids = Batches.idsFor(mask, VOCAB, 8);
            try (OrtRunner int64 = new OrtRunner(wide.file());
                    OrtRunner int32 = new OrtRunner(narrow.file())) {
                float[][] expected = (float[][]) int64.run(ids, mask);
                float[][] actual = (float[][]) int32.run(Batches.toInt(ids), Batches.toInt(mask));
                for (int b = 0; b < expected.length; b++) {
                    assertArrayEquals(expected[b], actual[b], 0f, "row " + b);
                }
                assertTrue(maxRealDiff(lm, actual, ids, mask) < TOLERANCE);
            }
        }
    }

    @Test
    void oneSessionServesAnyBatchAndLength() throws OrtException {
        try (LanguageModel lm = RandomWeights.model(TestModels.tiny(VOCAB, 4, 2, false), 23)) {
            ExportedModel exported =
                    OnnxExporter.export(repository, "policy", lm.block(), ExportOptions.logProbs(ServingRole.POLICY));
            try (OrtRunner ort = new OrtRunner(exported.file())) {
                float[][] small = (float[][]) ort.run(Batches.single(4, VOCAB, 1), Batches.ones(1, 4));
                long[][] mask = Batches.mixedMask();
                float[][] large = (float[][]) ort.run(Batches.idsFor(mask, VOCAB, 2), mask);
                long[][] longIds = Batches.single(12, VOCAB, 3);
                long[][] longMask = Batches.ones(1, 12);
                float[][] again = (float[][]) ort.run(longIds, longMask);
                assertEquals(1, small.length);
                assertEquals(3, small[0].length);
                assertEquals(5, large.length);
                assertEquals(8, large[0].length);
                assertEquals(11, again[0].length);
                assertTrue(maxRealDiff(lm, again, longIds, longMask) < TOLERANCE);
                assertTrue(maxRealDiff(lm, large, Batches.idsFor(mask, VOCAB, 2), mask) < TOLERANCE);
            }
        }
    }

    /** max |onnx - djl| over the log-probs whose target and context tokens are real. */
    static float maxRealDiff(LanguageModel lm, float[][] onnx, long[][] ids, long[][] mask) {
        try (NDManager m = lm.manager().newSubManager()) {
            NDArray idArray = m.create(ids);
            NDArray expected = LogProbs.ofNextTokens(lm.logits(idArray, m.create(mask)), idArray); // (B, T-1)
            float[] djl = expected.toFloatArray();
            int width = ids[0].length - 1;
            float max = 0;
            int compared = 0;
            for (int b = 0; b < ids.length; b++) {
                assertEquals(width, onnx[b].length, "row " + b + " length");
                for (int i = 0; i < width; i++) {
                    if (Batches.comparable(mask, b, i)) {
                        max = Math.max(max, Math.abs(onnx[b][i] - djl[b * width + i]));
                        compared++;
                    }
                }
            }
            assertTrue(compared > 0, "nothing to compare");
            return max;
        }
    }
}
