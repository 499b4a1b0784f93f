package dev.rlhf.core.train;

import ai.djl.nn.Parameter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One optimizer step as every trainer takes it, over one or more parameter groups (a policy and its critic, or one
 * model): each group's gradients clipped to the global norm {@code maxGradNorm} ({@link GradientClipping}, one host
 * synchronisation for all groups); if any
 * group's norm is not finite (an overflow), the whole step is dropped: every gradient zeroed, weights and optimizer
 * moments untouched, as mixed-precision trainers skip such steps; otherwise AdamW updates each group at its rate.
 */
public final class OptimizerStep {

    private OptimizerStep() {}

    /** Parameters updated together by one optimizer at one learning rate. */
    public record Group(Map<String, Parameter> parameters, AdamW optimizer, double lr) {}

    /**
     * @param gradNorms each group's gradient norm before clipping, in the order given
     * @param applied false when the step was dropped for a non-finite norm
     */
    public record Result(double[] gradNorms, boolean applied) {}

    /** Clips, then updates every group, or none of them. {@code maxGradNorm} 0 turns clipping off. */
    public static Result take(List<Group> groups, double maxGradNorm) {
        double[] norms = GradientClipping.clipGlobalNorms(
                groups.stream().map(g -> g.parameters().values()).toList(), maxGradNorm);
        boolean finite = Arrays.stream(norms).allMatch(Double::isFinite);
        if (!finite) {
            groups.forEach(g -> GradientClipping.zero(g.parameters().values()));
            return new Result(norms, false);
        }
        for (Group g : groups) {
            g.optimizer().update(g.parameters(), (float) g.lr());
        }
        return new Result(norms, true);
    }
}
