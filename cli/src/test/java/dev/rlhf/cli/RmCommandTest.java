package dev.rlhf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.core.TestData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code rlhf rm train}, {@code rlhf rm score} and {@code rlhf bench rm} as a user runs them. */
class RmCommandTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path dir;

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

    private Path pairs() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            lines.add("{\"prompt\": \"Say something nice about " + i + ".\", \"chosen\": \"" + i
                    + " is lovely, thank you!\", \"rejected\": \"No. Go away.\"}");
        }
        return Files.write(dir.resolve("pairs.jsonl"), lines);
    }

    @Test
    void trainsWithAProgressBarThenScoresRepliesWithTheirNormalisedReward() throws Exception {
        Path config = Files.writeString(
                dir.resolve("job.yaml"),
                String.join(
                        "\n",
                        "data:",
                        "  datasets: [{path: " + pairs() + ", format: pairs}]",
                        "  split: 4",
                        "output_dir: " + dir.resolve("runs"),
                        "exp: cli"));
        int code = run(
                "rm",
                "train",
                "--config-dir",
                ROOT.resolve("configs/rm").toString(),
                "--configs",
                ROOT.resolve("configs/rm/tiny-rm.yaml").toString(),
                "--config-file",
                config.toString(),
                "--set",
                "model.init=" + ROOT.resolve("configs/model/tiny.json"),
                "--set",
                "model.tokenizer=" + ROOT.resolve("configs/tokenizer/shakespeare-2k"),
                "--set",
                "train.batch_size=4",
                "--set",
                "seq_len=48");
        assertEquals(0, code, err.toString());
        assertTrue(err.toString().contains("eval_accuracy"), err.toString());
        Path best = dir.resolve("runs/rm/cli-tiny-rm/checkpoints/best");
        assertTrue(Files.isRegularFile(best.resolve("reward_stats.json")), out.toString());

        assertEquals(
                0,
                run(
                        "rm",
                        "score",
                        "--model",
                        best.toString(),
                        "--prompt",
                        "Say something nice about 3.",
                        "--response",
                        "3 is lovely, thank you!",
                        "--response",
                        "No. Go away."),
                err.toString());
        String[] lines = out.toString().strip().split("\n");
        assertEquals(2, lines.length, out.toString());
        for (String line : lines) {
            assertTrue(line.matches("reward -?[0-9.]+  normalised -?[0-9.]+"), line);
        }
    }

    @Test
    void scoringSomethingThatIsNotARewardModelSaysSo() {
        assertEquals(
                RlhfCli.BAD_INPUT,
                run("rm", "score", "--model", dir.resolve("nothing").toString(), "--prompt", "p", "--response", "r"));
        assertTrue(err.toString().contains("nothing"), err.toString());
    }

    @Test
    void benchRmPrintsPairsPerSecondTrainedAndScored() {
        int code = run(
                "bench",
                "rm",
                "--config",
                ROOT.resolve("configs/model/tiny.json").toString(),
                "--tokenizer",
                ROOT.resolve("configs/tokenizer/shakespeare-2k").toString(),
                "--data",
                TestData.file("hh-harmless-pairs.jsonl.gz").toString(),
                "--batch",
                "4",
                "--seq-len",
                "32",
                "--runs",
                "1",
                "--steps",
                "1");
        assertEquals(0, code, err.toString());
        assertTrue(out.toString().contains("train pairs/s"), out.toString());
        assertTrue(out.toString().contains("score pairs/s"), out.toString());
    }
}
