package dev.rlhf.core.cli;

import dev.rlhf.core.jobs.JobContext;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

/**
 * A job's progress on the terminal: one line redrawn in place with step/total, loss, lr, tokens/s and ETA, and a
 * permanent line for each evaluation (every {@code eval_*} metric). Never cancels: Ctrl-C ends the JVM, and the job
 * resumes from its last checkpoint.
 */
public final class ProgressBar implements JobContext {

    private static final int WIDTH = 24;

    private final PrintWriter out;
    private final long start = System.nanoTime();

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
        } else if (metrics.containsKey("loss")) {
            int filled = totalSteps == 0 ? WIDTH : (int) (WIDTH * step / totalSteps);
            double elapsed = (System.nanoTime() - start) / 1e9;
            double eta = step == 0 ? 0 : elapsed / step * (totalSteps - step);
            out.printf(
                    Locale.ROOT,
                    "\rstep %d/%d [%s%s] loss %.4f lr %.2e %,.0f tok/s ETA %s   ",
                    step,
                    totalSteps,
                    "#".repeat(filled),
                    ".".repeat(WIDTH - filled),
                    number(metrics, "loss"),
                    number(metrics, "lr"),
                    number(metrics, "tokens_per_s"),
                    duration(eta));
        }
        out.flush();
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
