package dev.rlhf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    private final StringWriter text = new StringWriter();
    private final ProgressBar bar = new ProgressBar(new PrintWriter(text));

    @Test
    void anRlIterationShowsIterationRewardKlRolloutsPerSecondAndEta() {
        bar.report(
                3,
                12,
                Map.of(
                        "objective/scores",
                        0.8834,
                        "objective/kl",
                        0.125,
                        "rollouts/per_s",
                        19.94,
                        "loss/policy_avg",
                        0.1));
        String line = text.toString();
        assertTrue(line.startsWith("\riteration 3/12 [######..................]"), line);
        assertTrue(line.contains("reward 0.8834 kl 0.1250 19.9 rollouts/s ETA "), line);
    }

    @Test
    void aTrainingStepShowsStepLossLrTokensPerSecond() {
        bar.report(5, 10, Map.of("loss", 2.5, "lr", 1e-4, "tokens_per_s", 2150.0));
        String line = text.toString();
        assertTrue(
                line.startsWith("\rstep 5/10 [############............] loss 2.5000 lr 1.00e-04 2,150 tok/s ETA "),
                line);
    }

    @Test
    void anEvaluationIsAPermanentLineOfItsEvalMetrics() {
        bar.report(7, 10, Map.of("eval_loss", 1.25, "eval_accuracy", 0.5, "loss", 3.0));
        assertEquals("\nstep 7:" + " eval_accuracy 0.5000 eval_loss 1.2500" + System.lineSeparator(), text.toString());
    }

    @Test
    void anEvaluationShowsItsStep() {
        bar.report(2, 4, Map.of("eval/answered", 2));
        assertTrue(
                text.toString().startsWith("\revaluation step 2/4 [############............] ETA "), text.toString());
    }

    @Test
    void aReportWithoutKnownMetricsPrintsNothing() {
        bar.report(1, 10, Map.of("time/train", 1.0));
        assertEquals("", text.toString());
    }
}
