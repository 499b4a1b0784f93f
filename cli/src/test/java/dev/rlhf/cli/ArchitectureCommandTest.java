package dev.rlhf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rlhf.core.TestData;
import dev.rlhf.core.checkpoint.HfCheckpoint;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.TestModels;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A Qwen3 model through the commands: init, generation defaults from generation_config.json, and bad configs. */
class ArchitectureCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private StringWriter out;
    private StringWriter err;

    private int run(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine cli = RlhfCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @BeforeAll
    static void tokenizerAndQwen3Model() throws IOException {
        ArchitectureCommandTest t = new ArchitectureCommandTest();
        String corpus = TestData.file("tinyshakespeare.txt").toString();
        assertEquals(0, t.run("tokenizer", "train", "--input", corpus, "--vocab-size", "300", "--out", path("tok")));
        ObjectNode config = TestModels.qwen3(300).toJson();
        config.remove("vocab_size");
        Path init = Files.writeString(dir.resolve("qwen3.json"), config.toString());
        assertEquals(
                0,
                t.run("model", "init", "--config", init.toString(), "--tokenizer", path("tok"), "--out", path("qwen3")),
                t.err.toString());
    }

    private static String path(String name) {
        return dir.resolve(name).toString();
    }

    @Test
    void initWritesAQwen3ThatLoads() {
        try (LanguageModel lm = HfCheckpoint.load(dir.resolve("qwen3"))) {
            assertEquals("Qwen3ForCausalLM", lm.config().architecture());
            assertTrue(lm.block().hfParameters().containsKey("model.layers.0.self_attn.k_norm.weight"));
        }
    }

    @Test
    void generationConfigSetsTheSamplingDefaultsAndExplicitOptionsWin() throws IOException {
        String[] base = {"generate", "--model", path("qwen3"), "--prompt", "ROMEO:", "--max-new-tokens", "12"};
        Path file = dir.resolve("qwen3/generation_config.json");
        String written = Files.readString(file);
        String greedy = generate(base);
        try {
            Files.writeString(file, "{\"do_sample\": true, \"temperature\": 1.5, \"top_k\": 40}");
            String sampled = generate(base, "--seed", "3");
            assertNotEquals(greedy, sampled, "the file's do_sample takes effect");
            assertEquals(
                    sampled,
                    generate(base, "--seed", "3", "--temperature", "1.5", "--top-k", "40", "--top-p", "1"),
                    "the same as spelling the file's settings out");
            assertEquals(greedy, generate(base, "--temperature", "0"), "an explicit --temperature 0 wins");
        } finally {
            Files.writeString(file, written);
        }
    }

    private String generate(String[] base, String... more) {
        String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(base), java.util.Arrays.stream(more))
                .toArray(String[]::new);
        assertEquals(0, run(args), err.toString());
        return out.toString();
    }

    @Test
    void unsupportedRopeTypeUnknownModelTypeAndForeignTensorsEndWithOneLine() throws IOException {
        badConfig(
                "yarn",
                c -> c.putObject("rope_scaling").put("rope_type", "yarn").put("factor", 4.0),
                "'yarn'");
        badConfig("gemma", c -> c.put("model_type", "gemma"), "model_type 'gemma'");
        Path mistral = copyModel("mistral", c -> {
            c.put("model_type", "mistral");
            c.putArray("architectures").add("MistralForCausalLM");
            c.put("sliding_window", 8);
        });
        // a Qwen3 checkpoint relabelled Mistral has q_norm / k_norm that Mistral lacks: the tensor is named
        assertEquals(RlhfCli.BAD_INPUT, run("logprobs", "--model", mistral.toString(), "--ids", "1,2,3"));
        assertTrue(
                err.toString().contains("unexpected tensor 'model.layers.0.self_attn.k_norm.weight'"), err.toString());
    }

    private void badConfig(String name, Consumer<ObjectNode> edit, String expected) throws IOException {
        Path model = copyModel(name, edit);
        assertEquals(RlhfCli.BAD_INPUT, run("logprobs", "--model", model.toString(), "--ids", "1,2,3"));
        String line = err.toString().strip();
        assertEquals(1, line.lines().count(), line);
        assertTrue(line.startsWith("rlhf: error: " + model.resolve("config.json")), line);
        assertTrue(line.contains(expected), line);
    }

    @Test
    void generatingPastMistralsSlidingWindowIsRefused() throws IOException {
        try (LanguageModel lm = LanguageModel.create(TestModels.mistral(300, 8), 1)) {
            HfCheckpoint.save(lm, dir.resolve("mistral-w8"), dir.resolve("tok"));
        }
        String model = path("mistral-w8");
        assertEquals(
                0, run("generate", "--model", model, "--prompt", "ROMEO", "--max-new-tokens", "2"), err.toString());
        assertEquals(
                RlhfCli.BAD_INPUT, run("generate", "--model", model, "--prompt", "ROMEO:", "--max-new-tokens", "12"));
        String line = err.toString().strip();
        assertEquals(1, line.lines().count(), line);
        assertTrue(line.contains("sliding_window=8") && line.contains("prompt + max_new_tokens="), line);
    }

    private static Path copyModel(String name, Consumer<ObjectNode> edit) throws IOException {
        Path source = dir.resolve("qwen3");
        Path target = dir.resolve(name);
        Files.createDirectories(target);
        try (var files = Files.list(source)) {
            for (Path f : files.toList()) {
                Files.copy(f, target.resolve(f.getFileName()));
            }
        }
        ObjectNode config =
                (ObjectNode) JSON.readTree(target.resolve("config.json").toFile());
        edit.accept(config);
        Files.writeString(target.resolve("config.json"), config.toString());
        return target;
    }
}
