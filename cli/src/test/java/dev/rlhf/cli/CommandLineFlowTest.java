package dev.rlhf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.core.TestData;
import dev.rlhf.core.checkpoint.HfCheckpoint;
import dev.rlhf.core.model.LanguageModel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The commands a user runs, in order, from raw text to log-probs, and what they say on bad input. */
class CommandLineFlowTest {

    @TempDir
    static Path dir;

    private static final Path CONFIG = Path.of("..", "configs", "model", "tiny.json");

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
    static void tokenizerAndModel() {
        CommandLineFlowTest t = new CommandLineFlowTest();
        String corpus = TestData.file("tinyshakespeare.txt").toString();
        assertEquals(0, t.run("tokenizer", "train", "--input", corpus, "--vocab-size", "600", "--out", tok()));
        assertEquals(
                0,
                t.run("model", "init", "--config", CONFIG.toString(), "--tokenizer", tok(), "--out", model()),
                t.err.toString());
    }

    private static String tok() {
        return dir.resolve("tok").toString();
    }

    private static String model() {
        return dir.resolve("model").toString();
    }

    /**
     * A command run as users run it (its own JVM, the real {@code main}) prints its answer and nothing on stderr: no
     * libtorch deprecation warning, no CUDA probe warnings of a CPU build.
     */
    @Test
    void aCommandInItsOwnJvmPrintsNoNativeOrLibraryNoise() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path stderr = dir.resolve("stderr.txt");
        Process process = new ProcessBuilder(
                        java.toString(),
                        "-Dai.djl.offline=true",
                        "-cp",
                        System.getProperty("java.class.path"),
                        RlhfCli.class.getName(),
                        "logprobs",
                        "--model",
                        model(),
                        "--ids",
                        "5,17,42")
                .redirectError(stderr.toFile())
                .start();
        String stdout = new String(process.getInputStream().readAllBytes());
        assertEquals(0, process.waitFor(), Files.readString(stderr));
        assertTrue(stdout.contains("\"logprobs\""), stdout);
        assertEquals("", Files.readString(stderr));
    }

    @Test
    void initWritesALoadableModelWithItsTokenizer() {
        assertTrue(Files.isRegularFile(dir.resolve("model/tokenizer.json")));
        try (LanguageModel lm = HfCheckpoint.load(dir.resolve("model"))) {
            assertEquals(600, lm.config().vocabSize(), "vocab_size taken from the tokenizer");
            assertEquals(0, lm.config().eosTokenId(), "<|endoftext|> is id 0");
        }
    }

    @Test
    void generatePrintsThePromptAndItsContinuation() {
        assertEquals(
                0, run("generate", "--model", model(), "--prompt", "ROMEO:", "--max-new-tokens", "8"), err.toString());
        assertTrue(out.toString().startsWith("ROMEO:"), out.toString());
        String greedy = out.toString();
        assertEquals(
                0, run("generate", "--model", model(), "--prompt", "ROMEO:", "--max-new-tokens", "8", "--no-kv-cache"));
        assertEquals(greedy, out.toString(), "the cache changes nothing in greedy output");
    }

    @Test
    void logprobsPrintsOneValuePerNextToken() throws Exception {
        assertEquals(0, run("logprobs", "--model", model(), "--ids", "5,17,42,9"), err.toString());
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertEquals(4, json.get("ids").size());
        assertEquals(3, json.get("logprobs").size());
        for (JsonNode lp : json.get("logprobs")) {
            assertTrue(lp.asDouble() < 0 && lp.asDouble() > -20, lp.toString());
        }
        assertEquals(0, run("logprobs", "--model", model(), "--text", "To be, or not to be"), err.toString());
        JsonNode text = new ObjectMapper().readTree(out.toString());
        assertEquals(text.get("ids").size() - 1, text.get("logprobs").size());
    }

    @Test
    void badInputEndsWithOneLineNamingTheProblem() throws Exception {
        assertEquals(RlhfCli.BAD_INPUT, run("logprobs", "--model", model(), "--ids", "5,600"));
        assertEquals(
                "rlhf: error: --ids: token id 600 is outside the vocabulary [0, 600)",
                err.toString().strip());

        assertEquals(
                RlhfCli.BAD_INPUT,
                run("generate", "--model", dir.resolve("nope").toString(), "--prompt", "x"));
        assertTrue(err.toString().strip().lines().count() == 1 && err.toString().contains("nope"), err.toString());

        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"hidden_size\": 64, \"num_attention_heads\": 4}");
        assertEquals(
                RlhfCli.BAD_INPUT,
                run(
                        "model",
                        "init",
                        "--config",
                        bad.toString(),
                        "--tokenizer",
                        tok(),
                        "--out",
                        dir.resolve("m2").toString()));
        assertTrue(err.toString().contains("bad.json: missing required field 'intermediate_size'"), err.toString());
    }
}
