package dev.rlhf.service.jobs.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's evaluation table ({@code js/eval-summary.js}) run by Node.js on an {@code eval.json} document: one
 * row per comparison and judge, a judge that did not run leaves no row, an undefined rate shows as "-". Skipped where
 * no {@code node} is installed.
 */
class EvalSummaryScriptTest {

    private static final Path SCRIPT = Path.of("src/main/resources/META-INF/resources/js/eval-summary.js");

    private static final String REPORT = "{\"prompts\": 10, \"comparisons\": ["
            + "{\"baseline\": \"sft\", \"candidate\": \"rl\","
            + " \"reward_model\": {\"wins\": 8, \"ties\": 0, \"losses\": 2, \"invalid\": 0, \"win_rate\": 0.8,"
            + " \"win_ci95\": {\"low\": 0.4902, \"high\": 0.9433}},"
            + " \"llm\": {\"wins\": 0, \"ties\": 0, \"losses\": 0, \"invalid\": 10, \"win_rate\": null,"
            + " \"win_ci95\": {\"low\": null, \"high\": null}}},"
            + "{\"baseline\": \"sft\", \"candidate\": \"sft-again\","
            + " \"reward_model\": {\"wins\": 0, \"ties\": 10, \"losses\": 0, \"invalid\": 0, \"win_rate\": 0.0,"
            + " \"win_ci95\": {\"low\": 0.0, \"high\": 0.2775}}}]}";

    @Test
    void oneRowPerComparisonAndJudge() throws Exception {
        assumeTrue(onPath("node"), "no node on PATH");
        String program = "import { evalRows } from '" + SCRIPT.toUri() + "';" + "for (const row of evalRows(" + REPORT
                + ")) console.log(row.join(' | '));";
        Process node = new ProcessBuilder("node", "--input-type=module", "-e", program)
                .redirectErrorStream(true)
                .start();
        String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        node.waitFor(30, TimeUnit.SECONDS);
        assertEquals(0, node.exitValue(), out);
        assertEquals(
                List.of(
                        "rl vs sft | reward model | 8 | 0 | 2 | 0 | 0.800 [0.490, 0.943]",
                        "rl vs sft | LLM | 0 | 0 | 0 | 10 | - [-, -]",
                        "sft-again vs sft | reward model | 0 | 10 | 0 | 0 | 0.000 [0.000, 0.278]"),
                out.lines().toList());
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(dir, program).canExecute()) {
                return true;
            }
        }
        return false;
    }
}
