package dev.rlhf.core.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.rlhf.core.checkpoint.HfCheckpoint;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.RewardModel;
import dev.rlhf.core.model.TestModels;
import dev.rlhf.proto.inference.DataType;
import dev.rlhf.proto.inference.ModelConfig;
import dev.rlhf.proto.inference.ModelInstanceGroup;
import dev.rlhf.proto.triton.TritonModelConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What lands in a Triton model repository, read back through Triton's schema and run in ORT, for the settings
 * {@code ./rlhf export} passes (the command itself: the cli module's {@code ExportCommandTest}).
 */
class ModelRepositoryTest {

    /** {@code ./rlhf export}'s defaults: batches of 8, one GPU instance, 1 ms queue delay. */
    private static final TritonConfigs.Serving DEFAULT_SERVING = new TritonConfigs.Serving(8, true, 1, 1000);

    @TempDir
    Path tmp;

    private static ExportedModel exportRm(Path model, Path repo, WeightType weights, boolean external) {
        try (RewardModel rm = HfCheckpoint.loadRewardModel(model, null)) {
            ExportOptions options = ExportOptions.rewardModel(rm.head().weight().getArray())
                    .withWeightType(weights)
                    .withAlwaysExternal(external);
            return ModelRepository.write(repo, "rm", rm.languageModel().block(), options, DEFAULT_SERVING, null);
        }
    }

    @Test
    void exportsARewardModelThatTritonsSchemaReadsAndOrtRuns() throws Exception {
        Path rmDir = tmp.resolve("rm-model");
        long[][] ids = {{0, 0, 5, 9, 13}, {2, 4, 6, 8, 10}};
        long[][] mask = {{0, 0, 1, 1, 1}, {1, 1, 1, 1, 1}};
        float[] expected;
        try (RewardModel rm = RewardModel.withNewHead(LanguageModel.create(TestModels.tiny(40, 4, 2, true), 3), 4);
                NDManager m = rm.languageModel().manager().newSubManager()) {
            expected = rm.rewards(m.create(ids), m.create(mask)).toFloatArray();
            HfCheckpoint.saveRewardModel(rm, rmDir, null, 1);
        }
        Path repo = tmp.resolve("repo");
        exportRm(rmDir, repo, WeightType.F32, false);

        ModelConfig config = TritonModelConfigs.read(repo.resolve("rm/config.pbtxt"));
        assertEquals("rm", config.getName());
        assertEquals("onnxruntime", config.getBackend());
        assertEquals(8, config.getMaxBatchSize());
        assertEquals(
                ModelInstanceGroup.Kind.KIND_GPU, config.getInstanceGroup(0).getKind());
        assertEquals("input_ids", config.getInput(0).getName());
        assertEquals(DataType.TYPE_INT64, config.getInput(0).getDataType());
        assertEquals("attention_mask", config.getInput(1).getName());
        assertEquals("rewards", config.getOutput(0).getName());
        assertEquals(DataType.TYPE_FP32, config.getOutput(0).getDataType());
        assertEquals(
                "128",
                config.getParametersOrThrow(TritonConfigs.MAX_SEQUENCE_LENGTH).getStringValue());
        assertEquals(config, TritonModelConfigs.parsePbtxt(TritonModelConfigs.toPbtxt(config), "round trip"));

        try (OrtRunner ort = new OrtRunner(repo.resolve("rm/1/model.onnx"))) {
            assertArrayEquals(expected, (float[]) ort.run(ids, mask), 1e-4f);
        }
    }

    @Test
    void exportsAReferenceModelWithItsTokenizerOnCpuWithInt32Ids() throws Exception {
        Path lmDir = tmp.resolve("lm");
        try (LanguageModel lm = LanguageModel.create(TestModels.qwen2(40), 3)) {
            HfCheckpoint.save(lm, lmDir, null);
        }
        Files.writeString(lmDir.resolve("tokenizer.json"), "{}"); // copied verbatim, not parsed, by export
        Path repo = tmp.resolve("repo");
        try (LanguageModel lm = HfCheckpoint.load(lmDir)) {
            ExportOptions options = ExportOptions.logProbs(ServingRole.REF).withIdsType(ElementType.parseIds("int32"));
            ModelRepository.write(
                    repo, "sft-ref", lm.block(), options, new TritonConfigs.Serving(4, false, 1, 1000), lmDir);
        }
        ModelConfig config = TritonModelConfigs.read(repo.resolve("sft-ref/config.pbtxt"));
        assertEquals(
                ModelInstanceGroup.Kind.KIND_CPU, config.getInstanceGroup(0).getKind());
        assertEquals(DataType.TYPE_INT32, config.getInput(0).getDataType());
        assertEquals("logprobs", config.getOutput(0).getName());
        assertEquals(4, config.getMaxBatchSize());
        assertTrue(Files.isRegularFile(repo.resolve("sft-ref/tokenizer.json")));
        assertTrue(Files.isRegularFile(repo.resolve("sft-ref/1/model.onnx")));
    }

    @Test
    void exportsF16WeightsAsExternalData() throws Exception {
        Path rmDir = tmp.resolve("rm-model");
        long[][] ids = {{0, 0, 5, 9, 13}, {2, 4, 6, 8, 10}};
        long[][] mask = {{0, 0, 1, 1, 1}, {1, 1, 1, 1, 1}};
        float[] expected;
        try (RewardModel rm = RewardModel.withNewHead(LanguageModel.create(TestModels.tiny(40, 4, 2, true), 3), 4);
                NDManager m = rm.languageModel().manager().newSubManager()) {
            expected = rm.rewards(m.create(ids), m.create(mask)).toFloatArray();
            HfCheckpoint.saveRewardModel(rm, rmDir, null, 1);
        }
        Path repo = tmp.resolve("repo");
        exportRm(rmDir, repo, WeightType.parse("f16"), true);
        Path data = repo.resolve("rm/1/" + OnnxExporter.DATA_FILE_NAME);
        assertTrue(Files.size(data) > Files.size(repo.resolve("rm/1/model.onnx")), "the weights are in " + data);
        ModelConfig config = TritonModelConfigs.read(repo.resolve("rm/config.pbtxt"));
        assertEquals(DataType.TYPE_FP32, config.getOutput(0).getDataType()); // f16 weights, float32 signature
        try (OrtRunner ort = new OrtRunner(repo.resolve("rm/1/model.onnx"))) {
            assertArrayEquals(expected, (float[]) ort.run(ids, mask), 2e-2f);
        }
        assertThrows(IllegalArgumentException.class, () -> WeightType.parse("bf16"));
    }

    @Test
    void badRoleIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServingRole.parse("critic"));
        assertTrue(e.getMessage().contains("critic"), e.getMessage());
    }
}
