package dev.rlhf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.core.checkpoint.HfCheckpoint;
import dev.rlhf.core.export.OnnxExporter;
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

/**
 * {@code ./rlhf export}: its options reach the repository entry, and bad ones end with exit code 2. What the graphs
 * compute is core's {@code ModelRepositoryTest}.
 */
class ExportCommandTest {

    @TempDir
    Path tmp;

    private StringWriter err;

    private int export(String... args) {
        CommandLine cli = RlhfCli.commandLine();
        err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(new StringWriter(), true));
        String[] full = new String[args.length + 1];
        full[0] = "export";
        System.arraycopy(args, 0, full, 1, args.length);
        return cli.execute(full);
    }

    private Path rewardModel() {
        Path rmDir = tmp.resolve("rm-model");
        try (RewardModel rm = RewardModel.withNewHead(LanguageModel.create(TestModels.tiny(40, 4, 2, true), 3), 4)) {
            HfCheckpoint.saveRewardModel(rm, rmDir, null, 1);
        }
        return rmDir;
    }

    @Test
    void aRewardModelGetsTheDefaultServingSettings() throws Exception {
        Path repo = tmp.resolve("repo");
        assertEquals(0, export("--model", rewardModel().toString(), "--role", "rm", "--repo", repo.toString()));
        ModelConfig config = TritonModelConfigs.read(repo.resolve("rm/config.pbtxt"));
        assertEquals("rm", config.getName());
        assertEquals(8, config.getMaxBatchSize());
        assertEquals(
                ModelInstanceGroup.Kind.KIND_GPU, config.getInstanceGroup(0).getKind());
        assertEquals(DataType.TYPE_INT64, config.getInput(0).getDataType());
        assertEquals("rewards", config.getOutput(0).getName());
    }

    @Test
    void aReferenceModelOnCpuWithInt32IdsAndItsTokenizer() throws Exception {
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
    void f16WeightsGoToTheExternalDataFile() throws Exception {
        Path rmDir = rewardModel();
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
        assertEquals(
                RlhfCli.BAD_INPUT,
                export("--model", rmDir.toString(), "--role", "rm", "--repo", repo.toString(), "--dtype", "bf16"));
    }

    @Test
    void badRoleIsNamed() {
        assertEquals(
                RlhfCli.BAD_INPUT, export("--model", tmp.toString(), "--role", "critic", "--repo", tmp.toString()));
        assertEquals(
                "rlhf: error: --role: expected rm, ref or policy, got 'critic'",
                err.toString().strip());
    }
}
