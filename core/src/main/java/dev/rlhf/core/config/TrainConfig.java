package dev.rlhf.core.config;

import java.util.Optional;

/**
 * The {@code train} section: optimisation, schedule and the rhythm of logging, evaluation and checkpoints. Steps are
 * optimizer steps (each of {@code grad_accum} batches of {@code batch_size} rows).
 *
 * @param epochs passes over the (resampled) training mix
 * @param maxSteps stop after this many steps even if epochs remain; null for no limit
 * @param minLrRatio the learning rate at the end of the schedule, as a fraction of {@code lr}
 * @param warmupSteps steps of linear warm-up from 0 to {@code lr}
 * @param maxGradNorm clip the global gradient norm to this; 0 turns clipping off
 * @param seed seeds data order, sampling, splits and initialisation
 * @param evalEvery evaluate every this many steps (and at the end of each epoch); 0 for epoch ends only
 * @param saveEvery save {@code checkpoints/last} every this many steps; 0 for epoch ends only
 * @param logEvery append to {@code metrics.jsonl} every this many steps
 * @param gradientCheckpointing keep only each decoder layer's input between forward and backward and recompute the
 *     rest (one more forward of the layers, far fewer activations held; see {@code CheckpointedBackward})
 */
public record TrainConfig(
        int epochs,
        Optional<Integer> maxSteps,
        int batchSize,
        int gradAccum,
        double lr,
        double minLrRatio,
        int warmupSteps,
        Schedule schedule,
        double weightDecay,
        double adamBeta1,
        double adamBeta2,
        double adamEps,
        double maxGradNorm,
        long seed,
        int evalEvery,
        int saveEvery,
        int logEvery,
        boolean gradientCheckpointing) {
    public TrainConfig {
        ConfigValueException.positive("epochs", epochs);
        maxSteps.ifPresent(s -> ConfigValueException.positive("max_steps", s));
        ConfigValueException.positive("batch_size", batchSize);
        ConfigValueException.positive("grad_accum", gradAccum);
        ConfigValueException.positive("lr", lr);
        ConfigValueException.require(
                minLrRatio >= 0 && minLrRatio <= 1, "min_lr_ratio", "must be in [0, 1], got " + minLrRatio);
        ConfigValueException.nonNegative("warmup_steps", warmupSteps);
        ConfigValueException.nonNegative("weight_decay", weightDecay);
        ConfigValueException.inRange("adam_beta1", adamBeta1, 0, 1);
        ConfigValueException.inRange("adam_beta2", adamBeta2, 0, 1);
        ConfigValueException.positive("adam_eps", adamEps);
        ConfigValueException.nonNegative("max_grad_norm", maxGradNorm);
        ConfigValueException.nonNegative("eval_every", evalEvery);
        ConfigValueException.nonNegative("save_every", saveEvery);
        ConfigValueException.positive("log_every", logEvery);
    }
}
