package dev.rlhf.cli;

import dev.rlhf.core.jobs.JobContext;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

/**
 * A job's progress on the terminal: one line redrawn in place, and a permanent line for each evaluation (every
 * {@code eval_*} metric). A training step shows step/total, loss, lr, tokens/s and ETA; an RL iteration (a report with
 * {@code objective/scores}) shows iteration/total, mean score, KL, rollouts/s and ETA; an evaluation job (its {@code
 * eval/*} reports: a model answered, a judge done) shows step/total and ETA. Never cancels: Ctrl-C ends the
 * JVM, and the job resumes from its last checkpoint.
 */
public final class ProgressBar implements JobContext {

    private static final int WIDTH = 24;

    private final PrintWriter out;
    private long lastAt = System.nanoTime();
    private long firstStep = -1;
    private long firstAt;

    public ProgressBar(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void report(long step, long totalSteps, Map<String, Object> metrics) {
        if (metrics.keySet().stream().anyMatch(k -> k.startsWith("eval_"))) {
            StringBuilder line = new StringBuilder("\nstep " + step + ":");
            metrics.keySet().stream()
                    .filter(k -> k.startsWith("eval_"))
                    .sorted()
                    .forEach(k -> line.append(String.format(Locale.ROOT, " %s %.4f", k, number(metrics, k))));
            out.println(line);
        } else if (metrics.containsKey("objective/scores")) {
            out.printf(
                    Locale.ROOT,
                    "\riteration %d/%d %s reward %.4f kl %.4f %.1f rollouts/s ETA %s   ",
                    step,
                    totalSteps,
                    bar(step, totalSteps),
                    number(metrics, "objective/scores"),
                    number(metrics, "objective/kl"),
                    number(metrics, "rollouts/per_s"),
                    eta(step, totalSteps));
        } else if (metrics.keySet().stream().anyMatch(k -> k.startsWith("eval/"))) {
            out.printf(
                    Locale.ROOT,
                    "\revaluation step %d/%d %s ETA %s   ",
                    step,
                    totalSteps,
                    bar(step, totalSteps),
                    eta(step, totalSteps));
        } else if (metrics.containsKey("loss")) {
            out.printf(
                    Locale.ROOT,
                    "\rstep %d/%d %s loss %.4f lr %.2e %,.0f tok/s ETA %s   ",
                    step,
                    totalSteps,
                    bar(step, totalSteps),
                    number(metrics, "loss"),
                    number(metrics, "lr"),
                    number(metrics, "tokens_per_s"),
                    eta(step, totalSteps));
        }
        out.flush();
    }

    private static String bar(long step, long totalSteps) {
        int filled = totalSteps == 0 ? WIDTH : (int) Math.min(WIDTH, WIDTH * step / totalSteps);
        return "[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "]";
    }

    /**
     * The time left at this process's pace: seconds per step between the first report of a run of steps and this one
     * (so a resumed job does not count the steps an earlier process made, and each stage of a pipeline, whose steps
     * start again from 1, is timed on its own); at that first report, the time since the previous report per step.
     */
    private String eta(long step, long totalSteps) {
        long now = System.nanoTime();
        double secondsPerStep;
        if (firstStep < 0 || step <= firstStep) {
            secondsPerStep = (now - lastAt) / 1e9 / Math.max(1, step);
            firstStep = step;
            firstAt = now;
        } else {
            secondsPerStep = (now - firstAt) / 1e9 / (step - firstStep);
        }
        lastAt = now;
        return duration(secondsPerStep * Math.max(0, totalSteps - step));
    }

    @Override
    public boolean cancelled() {
        return false;
    }

    private static double number(Map<String, Object> metrics, String key) {
        return metrics.get(key) instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 60 ? (s / 60) + "m" + String.format(Locale.ROOT, "%02d", s % 60) + "s" : s + "s";
    }
}
