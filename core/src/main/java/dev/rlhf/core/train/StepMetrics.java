package dev.rlhf.core.train;

import java.util.LinkedHashMap;
import java.util.Map;

/** Running means of the steps since the last log line, and of the whole epoch. */
final class StepMetrics {

    private double lossSum;
    private int steps;
    private long tokens;
    private double seconds;
    private double lastLr;
    private double gradNormSum;
    private double epochLossSum;
    private int epochSteps;
    private final Map<String, Double> extraSums = new LinkedHashMap<>();

    /** @param extra the task's own per-step means (e.g. a reward model's accuracy), averaged over the window */
    void add(double loss, long count, double stepSeconds, double lr, double gradNorm, Map<String, Double> extra) {
        extra.forEach((k, v) -> extraSums.merge(k, v, Double::sum));
        lossSum += loss;
        steps++;
        tokens += count;
        seconds += stepSeconds;
        lastLr = lr;
        gradNormSum += gradNorm;
        epochLossSum += loss;
        epochSteps++;
    }

    /** Means since the last call: loss, lr, grad_norm (before clipping), tokens/s, then the task's extras. */
    Map<String, Object> drain() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("loss", steps == 0 ? Double.NaN : lossSum / steps);
        out.put("lr", lastLr);
        out.put("grad_norm", steps == 0 ? Double.NaN : gradNormSum / steps);
        out.put("tokens_per_s", seconds == 0 ? 0 : tokens / seconds);
        int n = steps;
        extraSums.forEach((k, v) -> out.put(k, n == 0 ? Double.NaN : v / n));
        extraSums.clear();
        lossSum = 0;
        steps = 0;
        tokens = 0;
        seconds = 0;
        gradNormSum = 0;
        return out;
    }

    /** Mean loss of the epoch so far; resets for the next epoch. */
    double epochLoss() {
        double mean = epochSteps == 0 ? Double.NaN : epochLossSum / epochSteps;
        epochLossSum = 0;
        epochSteps = 0;
        return mean;
    }
}
