package dev.rlhf.core.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.onnxruntime.OrtException;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.LlamaConfig;
import dev.rlhf.core.model.ScalarHead;
import dev.rlhf.core.model.TestModels;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exported rm graph returns the scalar head at the last real token of each row, whatever the padding side. */
class RewardExportTest {

    private static final int VOCAB = 53;
    private static final float TOLERANCE = 1e-4f;

    @TempDir
    Path repository;

    @Test
    void rewardsMatchDjlAtTheLastRealTokenForLeftAndRightPadding() throws OrtException {
        check(TestModels.qwen2(VOCAB), 29);
    }

    @Test
    void rewardsOfAnUntiedGqaLlamaMatchDjl() throws OrtException {
        check(TestModels.tiny(VOCAB, 4, 2, false), 31);
    }

    @Test
    void rewardsOfQwen3AndOfALlama3RopeModelMatchDjl() throws OrtException {
        check(TestModels.qwen3(VOCAB), 41);
        check(TestModels.llama3Rope(VOCAB), 43);
    }

    @Test
    void int32RewardModelAgrees() throws OrtException {
        try (LanguageModel lm = RandomWeights.model(TestModels.tiny(VOCAB, 4, 1, true), 37);
                NDManager m = lm.manager().newSubManager()) {
            ScalarHead head = head(m, lm.config());
            ExportOptions options = ExportOptions.rewardModel(head.weight().getArray());
            ExportedModel wide = OnnxExporter.export(repository, "rm", lm.block(), options);
            ExportedModel narrow =
                    OnnxExporter.export(repository, "rm32", lm.block(), options.withIdsType(ElementType.INT32));
            long[][] mask = Batches.mixedMask();
            long[][] ids = Batches.idsFor(mask, VOCAB, 4);
            try (OrtRunner a = new OrtRunner(wide.file());
                    OrtRunner b = new OrtRunner(narrow.file())) {
                float[] expected = (float[]) a.run(ids, mask);
                float[] actual = (float[]) b.run(Batches.toInt(ids), Batches.toInt(mask));
                assertEquals(0f, TestModels.maxAbsDiff(expected, actual));
            }
        }
    }

    private void check(LlamaConfig config, int seed) throws OrtException {
        try (LanguageModel lm = RandomWeights.model(config, seed);
                NDManager m = lm.manager().newSubManager()) {
            ScalarHead head = head(m, config);
            ExportedModel exported = OnnxExporter.export(
                    repository,
                    "rm",
                    lm.block(),
                    ExportOptions.rewardModel(head.weight().getArray()));
            assertEquals(ServingRole.RM, exported.role());
            try (OrtRunner ort = new OrtRunner(exported.file())) {
                long[][] ids1 = Batches.single(6, VOCAB, 9);
                long[][] mask1 = Batches.ones(1, 6);
                float diff1 = maxDiff(lm, head, ort, ids1, mask1);
                long[][] mask5 = Batches.mixedMask();
                float diff5 = maxDiff(lm, head, ort, Batches.idsFor(mask5, VOCAB, 10), mask5);
                System.out.printf(
                        "%s rm: max |onnx - djl| reward B=1 %.3g, B=5 %.3g%n", config.modelType(), diff1, diff5);
                assertTrue(diff1 < TOLERANCE, "B=1: " + diff1);
                assertTrue(diff5 < TOLERANCE, "B=5: " + diff5);
            }
        }
    }

    /** max |onnx - djl| of the rewards, DJL's read from ScalarHead values at the last real token. */
    private static float maxDiff(LanguageModel lm, ScalarHead head, OrtRunner ort, long[][] ids, long[][] mask)
            throws OrtException {
        float[] onnx = (float[]) ort.run(ids, mask);
        assertEquals(ids.length, onnx.length);
        try (NDManager m = lm.manager().newSubManager()) {
            NDArray hidden = lm.block()
                    .backbone()
                    .forward(lm.inferenceStore(), new NDList(m.create(ids), m.create(mask)), false)
                    .singletonOrThrow(); // (B, T, D)
            float[] values = head.forward(lm.inferenceStore(), new NDList(hidden), false)
                    .singletonOrThrow()
                    .toFloatArray(); // (B, T)
            int length = ids[0].length;
            float max = 0;
            for (int b = 0; b < ids.length; b++) {
                float expected = values[b * length + Batches.lastReal(mask, b)];
                max = Math.max(max, Math.abs(onnx[b] - expected));
            }
            return max;
        }
    }

    private static ScalarHead head(NDManager m, LlamaConfig config) {
        ScalarHead head = new ScalarHead(config.hiddenSize());
        head.initialize(m, DataType.FLOAT32, new Shape(1, 1, config.hiddenSize()));
        return head;
    }
}
