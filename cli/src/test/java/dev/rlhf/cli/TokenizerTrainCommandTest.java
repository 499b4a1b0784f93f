package dev.rlhf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.core.tokenizer.Tokenizer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TokenizerTrainCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = RlhfCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        String[] full = new String[args.length + 2];
        full[0] = "tokenizer";
        full[1] = "train";
        System.arraycopy(args, 0, full, 2, args.length);
        return cli.execute(full);
    }

    @Test
    void trainsAndWritesBothFiles() throws IOException {
        Path a = Files.writeString(dir.resolve("a.txt"), "to be or not to be\n".repeat(50));
        Path b = Files.writeString(dir.resolve("b.txt"), "that is the question\n".repeat(50));
        Path outDir = dir.resolve("nested/tok");
        int code = run("--input", a.toString(), b.toString(), "--vocab-size", "280", "--out", outDir.toString());
        assertEquals(0, code, err.toString());
        assertTrue(out.toString().matches("vocab 280, merges 18, \\d+\\.\\d s\\R"), out.toString());
        assertTrue(Files.isRegularFile(outDir.resolve("tokenizer_config.json")));
        try (Tokenizer tokenizer = Tokenizer.load(outDir)) {
            assertEquals(280, tokenizer.vocabSize());
            assertEquals("to be or not", tokenizer.decode(tokenizer.encode("to be or not")));
        }
    }

    @Test
    void errorsArePrintedAsOneLine() {
        Path missing = dir.resolve("missing.txt");
        int code =
                run("--input", missing.toString(), "--out", dir.resolve("out").toString());
        assertEquals(RlhfCli.BAD_INPUT, code);
        assertEquals(
                "rlhf: error: " + missing + ": file not found", err.toString().strip());
    }

    @Test
    void inputAndOutAreRequired() {
        assertEquals(2, run("--vocab-size", "300"));
        assertTrue(err.toString().contains("--input") && err.toString().contains("--out"), err.toString());
    }
}
