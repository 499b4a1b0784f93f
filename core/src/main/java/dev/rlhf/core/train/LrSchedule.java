package dev.rlhf.core.train;

import dev.rlhf.core.config.Schedule;

/**
 * Learning rate as a function of the optimizer step: linear warmup from 0 to {@code peak} over {@code warmupSteps},
 * then cosine or linear decay to {@code peak * minRatio} at {@code totalSteps}, or constant.
 *
 * <pre>
 *   warmup:  lr(s) = peak * (s + 1) / warmup                      for s &lt; warmup
 *   cosine:  lr(s) = min + (peak - min) * (1 + cos(pi * p)) / 2   p = (s - warmup) / (total - warmup)
 *   linear:  lr(s) = min + (peak - min) * (1 - p)
 * </pre>
 */
public record LrSchedule(Schedule kind, double peak, int warmupSteps, int totalSteps, double minRatio) {

    public LrSchedule {
        if (peak <= 0) {
            throw new IllegalArgumentException("train.lr must be positive, got " + peak);
        }
        if (warmupSteps < 0 || totalSteps < 1) {
            throw new IllegalArgumentException("need warmup_steps >= 0 and at least one step");
        }
        if (minRatio < 0 || minRatio > 1) {
            throw new IllegalArgumentException("train.min_lr_ratio must be in [0, 1], got " + minRatio);
        }
    }

    /** The rate for optimizer step {@code step} (0-based). */
    public double lr(long step) {
        if (step < warmupSteps) {
            return peak * (step + 1) / warmupSteps;
        }
        if (kind == Schedule.CONSTANT) {
            return peak;
        }
        double min = peak * minRatio;
        double progress = Math.min(1.0, (double) (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps));
        double shape = kind == Schedule.COSINE ? (1 + Math.cos(Math.PI * progress)) / 2 : 1 - progress;
        return min + (peak - min) * shape;
    }
}
