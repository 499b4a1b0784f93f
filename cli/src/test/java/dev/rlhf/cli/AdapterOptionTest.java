package dev.rlhf.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rlhf.core.checkpoint.HfCheckpoint;
import dev.rlhf.core.lora.AdapterConfig;
import dev.rlhf.core.lora.LoraModel;
import dev.rlhf.core.lora.LoraSettings;
import dev.rlhf.core.lora.PeftAdapter;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.NoGrad;
import dev.rlhf.core.model.RewardModel;
import dev.rlhf.core.model.TestModels;
import dev.rlhf.core.rm.RewardScorer;
import dev.rlhf.core.rollout.LocalScorer;
import dev.rlhf.core.tokenizer.ChatLayout;
import dev.rlhf.core.tokenizer.Tokenizer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code --adapter DIR} on {@code logprobs}, {@code generate}, {@code rm score} and {@code export}: the base with the
 * adapter computes what base + adapter computed in training (export merges it on the way), and an adapter that does
 * not fit is one line naming the file and field or tensor, exit 2.
 */
class AdapterOptionTest {

    private static final Path TOKENIZER =
            Path.of("..", "configs", "tokenizer", "shakespeare-2k").toAbsolutePath();
    private static final long[] IDS = {5, 17, 230, 4, 99, 12, 7};
    private static final String PROMPT = "Who is there?";
    private static final List<String> REPLIES = List.of("Nay, answer me.", "It is I.");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path base;
    private Path adapter;
    private Path rmAdapter;
    private float[] expectedLogprobs;
    private float[] expectedRewards;
    private StringWriter out;
    private StringWriter err;

    @BeforeEach
    void baseAndTrainedLookingAdapters() {
        base = tmp.resolve("base");
        adapter = tmp.resolve("adapter");
        rmAdapter = tmp.resolve("rm-adapter");
        try (LanguageModel lm = LanguageModel.create(TestModels.tiny(2000, 4, 2, false), 1)) {
            HfCheckpoint.save(lm, base, TOKENIZER);
            LoraModel lora = LoraModel.attach(lm, LoraSettings.of(4, 8), 3);
            randomize(lora.trainableParameters(), lm);
            expectedLogprobs =
                    new LocalScorer(lm, null).referenceLogprobs(List.of(IDS)).get(0);
            PeftAdapter.save(lora, adapter, base.toString());
        }
        try (RewardModel rm = HfCheckpoint.loadRewardModel(base, 0L);
                Tokenizer tokenizer = Tokenizer.load(base)) {
            LoraModel lora = LoraModel.attach(rm, LoraSettings.of(4, 8), 3);
            randomize(lora.trainableParameters(), rm.languageModel()); // the score head too
            List<long[]> rows = REPLIES.stream()
                    .map(r -> ChatLayout.of(tokenizer).reply(PROMPT, r))
                    .toList();
            expectedRewards = new RewardScorer(rm, tokenizer.padId().orElse(tokenizer.eosId()), 2).score(rows);
            PeftAdapter.save(lora, rmAdapter, base.toString());
        }
    }

    @Test
    void logprobsAndRmScoreApplyTheAdapter() throws Exception {
        assertEquals(0, run("logprobs", "--model", base.toString(), "--adapter", adapter.toString(), ids()), err());
        assertArrayEquals(expectedLogprobs, logprobs(out.toString()), 1e-5f);
        assertEquals(0, run("logprobs", "--model", base.toString(), ids()), err());
        assertFalse(Arrays.equals(expectedLogprobs, logprobs(out.toString())), "without it, the base's");

        List<String> args =
                new ArrayList<>(List.of("rm", "score", "--model", base.toString(), "--adapter", rmAdapter.toString()));
        args.addAll(List.of("--prompt", PROMPT, "--response", REPLIES.get(0), "--response", REPLIES.get(1)));
        assertEquals(0, run(args.toArray(String[]::new)), err());
        List<String> lines = out.toString().lines().toList();
        float[] rewards = new float[REPLIES.size()];
        for (int i = 0; i < rewards.length; i++) {
            rewards[i] = Float.parseFloat(lines.get(i).split("\\s+")[1]); // "reward 0.123456"
        }
        assertArrayEquals(expectedRewards, rewards, 1e-5f);
    }

    @Test
    void generateAndExportWithTheAdapterEqualTheMergedModel() throws Exception {
        Path merged = tmp.resolve("merged");
        assertEquals(
                0,
                run("merge", "--model", base.toString(), "--adapter", adapter.toString(), "--out", merged.toString()),
                err());
        String[] generate = {"--prompt", "To be, or not", "--max-new-tokens", "8", "--temperature", "0"};
        assertEquals(0, run(concat(new String[] {"generate", "--model", merged.toString()}, generate)), err());
        String fromMerged = out.toString();
        String[] withAdapter = {"generate", "--model", base.toString(), "--adapter", adapter.toString()};
        assertEquals(0, run(concat(withAdapter, generate)), err());
        assertEquals(fromMerged, out.toString());

        Path repo = tmp.resolve("repo");
        assertEquals(
                0,
                run(
                        "export",
                        "--model",
                        merged.toString(),
                        "--role",
                        "policy",
                        "--name",
                        "a",
                        "--repo",
                        repo.toString(),
                        "--cpu"),
                err());
        assertEquals(
                0,
                run(
                        "export",
                        "--model",
                        base.toString(),
                        "--adapter",
                        adapter.toString(),
                        "--role",
                        "policy",
                        "--name",
                        "b",
                        "--repo",
                        repo.toString(),
                        "--cpu"),
                err());
        assertArrayEquals(
                Files.readAllBytes(repo.resolve("a/1/model.onnx")),
                Files.readAllBytes(repo.resolve("b/1/model.onnx")),
                "export --adapter writes the merged model");
    }

    @Test
    void anAdapterThatDoesNotFitIsOneLineAndExitTwo() throws Exception {
        Path wrongRank = copyWithConfig("wrong-rank", c -> c.put("r", 2));
        assertBadInput(
                PeftAdapter.WEIGHTS,
                "has shape",
                "logprobs",
                "--model",
                base.toString(),
                "--adapter",
                wrongRank.toString(),
                ids());
        Path unknownTarget = copyWithConfig(
                "unknown-target",
                c -> c.putArray("target_modules").add("q_proj").add("qkv_proj"));
        assertBadInput(
                AdapterConfig.FILE,
                "target_modules",
                "export",
                "--model",
                base.toString(),
                "--adapter",
                unknownTarget.toString(),
                "--role",
                "ref",
                "--repo",
                tmp.resolve("r").toString());
        assertBadInput(
                AdapterConfig.FILE,
                "task_type",
                "generate",
                "--model",
                base.toString(),
                "--adapter",
                rmAdapter.toString(),
                "--prompt",
                "hi");
        assertBadInput(
                AdapterConfig.FILE,
                "",
                "rm",
                "score",
                "--model",
                base.toString(),
                "--adapter",
                tmp.resolve("nope").toString(),
                "--prompt",
                "hi",
                "--response",
                "ho");
    }

    private void assertBadInput(String file, String detail, String... args) {
        int code = run(args);
        String message = err.toString().strip();
        assertEquals(2, code, message);
        assertEquals(1, message.lines().count(), "one line: " + message);
        assertTrue(message.contains(file) && message.contains(detail), message);
    }

    private interface ConfigEdit {
        void apply(ObjectNode config);
    }

    private Path copyWithConfig(String name, ConfigEdit edit) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Files.copy(adapter.resolve(PeftAdapter.WEIGHTS), dir.resolve(PeftAdapter.WEIGHTS));
        ObjectNode config =
                (ObjectNode) JSON.readTree(adapter.resolve(AdapterConfig.FILE).toFile());
        edit.apply(config);
        JSON.writeValue(dir.resolve(AdapterConfig.FILE).toFile(), config);
        return dir;
    }

    private int run(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine cli = RlhfCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private String err() {
        return err.toString();
    }

    private static String ids() {
        return "--ids="
                + String.join(",", Arrays.stream(IDS).mapToObj(Long::toString).toList());
    }

    private static float[] logprobs(String json) throws Exception {
        JsonNode values = JSON.readTree(json).get("logprobs");
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) values.get(i).asDouble();
        }
        return out;
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Every tensor but A drawn from N(0, 0.05), as if trained. */
    private static void randomize(Map<String, Parameter> parameters, LanguageModel lm) {
        try (NoGrad noGrad = NoGrad.open()) {
            parameters.forEach((name, p) -> {
                if (!name.contains("lora_A")) {
                    NDArray value =
                            lm.manager().randomNormal(0f, 0.05f, p.getArray().getShape(), DataType.FLOAT32);
                    p.getArray().set(new NDIndex("..."), value);
                    value.close();
                }
            });
        }
    }
}
