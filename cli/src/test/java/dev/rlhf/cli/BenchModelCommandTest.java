package dev.rlhf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.core.model.TestModels;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code rlhf bench model} measures the figures asked for, each as one table line, on any model config. */
class BenchModelCommandTest {

    @TempDir
    Path dir;

    @Test
    void measuresOnlyTheFiguresNamedByMeasure() throws IOException {
        Path config = Files.writeString(
                dir.resolve("config.json"),
                TestModels.tiny(50, 4, 2, true).toJson().toString());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = RlhfCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));

        int code = cli.execute(
                "bench",
                "model",
                "--config",
                config.toString(),
                "--measure",
                "decode,decode_b1",
                "--runs",
                "1",
                "--batch",
                "2",
                "--prompt-len",
                "5",
                "--new-tokens",
                "3");

        assertEquals(0, code, err.toString());
        List<String> lines = out.toString().lines().toList();
        assertEquals(3, lines.size(), out.toString()); // the config line, then one line per figure
        assertTrue(lines.get(1).startsWith("decode tokens/s, KV cache "), lines.get(1));
        assertTrue(lines.get(2).startsWith("decode tokens/s, KV cache, B=1 "), lines.get(2));
        assertTrue(lines.get(1).matches(".*median +[0-9.]+ tokens/s +runs: [0-9]+"), lines.get(1));
    }
}
