package dev.rlhf.core.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.rlhf.core.checkpoint.HfCheckpoint;
import dev.rlhf.core.cli.RlhfCli;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.RewardModel;
import dev.rlhf.core.model.TestModels;
import dev.rlhf.proto.inference.DataType;
import dev.rlhf.proto.inference.ModelConfig;
import dev.rlhf.proto.inference.ModelInstanceGroup;
import dev.rlhf.proto.triton.TritonModelConfigs;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ./rlhf export}: what lands in the repository, read back through Triton's schema and run in ORT. */
class ModelRepositoryTest {

    @TempDir
    Path tmp;

    private int export(String... args) {
        CommandLine cli = RlhfCli.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(new StringWriter(), true));
        String[] full = new String[args.length + 1];
        full[0] = "export";
        System.arraycopy(args, 0, full, 1, args.length);
        return cli.execute(full);
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
        assertEquals(0, export("--model", rmDir.toString(), "--role", "rm", "--repo", repo.toString()));

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
        assertEquals(
                0,
                export(
                        "--model",
                        lmDir.toString(),
                        "--role",
                        "ref",
                        "--repo",
                        repo.toString(),
                        "--name",
                        "sft-ref",
                        "--cpu",
                        "--ids-type",
                        "int32",
                        "--max-batch-size",
                        "4"));
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
        assertEquals(
                0,
                export(
                        "--model",
                        rmDir.toString(),
                        "--role",
                        "rm",
                        "--repo",
                        repo.toString(),
                        "--dtype",
                        "f16",
                        "--external-data"));
        Path data = repo.resolve("rm/1/" + OnnxExporter.DATA_FILE_NAME);
        assertTrue(Files.size(data) > Files.size(repo.resolve("rm/1/model.onnx")), "the weights are in " + data);
        ModelConfig config = TritonModelConfigs.read(repo.resolve("rm/config.pbtxt"));
        assertEquals(DataType.TYPE_FP32, config.getOutput(0).getDataType()); // f16 weights, float32 signature
        try (OrtRunner ort = new OrtRunner(repo.resolve("rm/1/model.onnx"))) {
            assertArrayEquals(expected, (float[]) ort.run(ids, mask), 2e-2f);
        }
        assertEquals(
                RlhfCli.BAD_INPUT,
                export("--model", rmDir.toString(), "--role", "rm", "--repo", repo.toString(), "--dtype", "bf16"));
    }

    @Test
    void badRoleIsNamed() {
        assertEquals(
                RlhfCli.BAD_INPUT, export("--model", tmp.toString(), "--role", "critic", "--repo", tmp.toString()));
    }
}
