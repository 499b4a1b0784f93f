package dev.rlhf.core.ppo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Critic-free advantages from groups of samples of the same prompt: GRPO (Shao et al., "DeepSeekMath", 2024) and RLOO
 * (Ahmadian et al., "Back to Basics: Revisiting REINFORCE Style Optimization for Learning from Human Feedback", 2024).
 *
 * <p>Dimensions: B rollouts, T response tokens, G group size. The B = N * G rollouts arrive as N groups of G samples,
 * one group per prompt, row {@code b = g * G + i} being sample i of group g. {@code rewards} (B) holds one scalar per
 * rollout (the sequence's reward), {@code mask} (B, T) marks real tokens. With {@code mean_g} and {@code std_g} the
 * mean and the unbiased standard deviation (Bessel's n - 1) of group g's G rewards:
 *
 * <pre>
 *   grpo:  A_b = (r_b - mean_g) / (std_g + 1e-4)        scaleRewards = true
 *          A_b =  r_b - mean_g                          scaleRewards = false (Dr. GRPO; TRL's scale_rewards)
 *   rloo:  A_b =  r_b - (sum_{j in g, j != b} r_j) / (G - 1)  =  G / (G - 1) * (r_b - mean_g)
 *   A[b, t] = A_b * mask[b, t]
 * </pre>
 *
 * The std and the 1e-4 are TRL's ({@code trl/trainer/grpo_trainer.py},
 * {@code GRPOTrainer._generate_and_score_completions}: {@code rewards.view(-1, num_generations).std(dim=1)}, torch's
 * unbiased std, then {@code advantages / (std + 1e-4)} when {@code scale_rewards}; newer TRL spells it
 * {@code scale_rewards: group | batch | none}, of which this is {@code group} and {@code none}), so a group whose
 * rewards are all equal gets advantage 0, not NaN. RLOO's baseline is OpenRLHF's ({@code (rewards.sum(-1) - rewards)
 * / (n_samples_per_prompt - 1)}). The rollout tensors carry no gradient, so the arithmetic is done on the host in
 * doubles.
 */
public final class GroupAdvantages {

    /** Added to the group's standard deviation before dividing, as TRL does. */
    public static final double STD_EPSILON = 1e-4;

    private GroupAdvantages() {}

    /** GRPO's advantage (B, T), the same for every real token of a rollout; 0 at padding. */
    public static NDArray grpo(NDArray rewards, NDArray mask, int groupSize, boolean scaleRewards) {
        double[] r = sequenceRewards(rewards, mask, groupSize);
        double[] advantages = new double[r.length];
        for (int start = 0; start < r.length; start += groupSize) {
            double mean = mean(r, start, groupSize);
            double squares = 0;
            for (int b = start; b < start + groupSize; b++) {
                squares += (r[b] - mean) * (r[b] - mean);
            }
            double std = Math.sqrt(squares / (groupSize - 1)); // unbiased, as torch.std
            for (int b = start; b < start + groupSize; b++) {
                advantages[b] = scaleRewards ? (r[b] - mean) / (std + STD_EPSILON) : r[b] - mean;
            }
        }
        return perToken(advantages, mask);
    }

    /** RLOO's advantage (B, T): each reward minus the mean of the other G - 1 in its group; 0 at padding. */
    public static NDArray rloo(NDArray rewards, NDArray mask, int groupSize) {
        double[] r = sequenceRewards(rewards, mask, groupSize);
        double[] advantages = new double[r.length];
        for (int start = 0; start < r.length; start += groupSize) {
            double sum = mean(r, start, groupSize) * groupSize;
            for (int b = start; b < start + groupSize; b++) {
                advantages[b] = r[b] - (sum - r[b]) / (groupSize - 1);
            }
        }
        return perToken(advantages, mask);
    }

    /** Checks the shapes and the group size, and returns the rewards (B) as doubles. */
    private static double[] sequenceRewards(NDArray rewards, NDArray mask, int groupSize) {
        if (groupSize < 2) {
            throw new IllegalArgumentException("group_size must be at least 2 for a group baseline (a sample needs "
                    + "another sample of its prompt to be compared with), got " + groupSize);
        }
        Shape shape = mask.getShape();
        if (rewards.getShape().dimension() != 1 || shape.dimension() != 2 || rewards.size() != shape.get(0)) {
            throw new IllegalArgumentException(
                    "rewards must be (B) and mask (B, T), got " + rewards.getShape() + " and " + shape);
        }
        long b = rewards.size();
        if (b % groupSize != 0) {
            throw new IllegalArgumentException("B = " + b + " rollouts are not whole groups of group_size = "
                    + groupSize + " (rows b = g * G + i)");
        }
        float[] values = rewards.toType(DataType.FLOAT32, false).toFloatArray();
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    private static double mean(double[] r, int start, int length) {
        double sum = 0;
        for (int b = start; b < start + length; b++) {
            sum += r[b];
        }
        return sum / length;
    }

    /** {@code A[b, t] = advantages[b] * mask[b, t]}: (B, 1) * (B, T), in the mask's manager. */
    private static NDArray perToken(double[] advantages, NDArray mask) {
        float[] values = new float[advantages.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) advantages[i];
        }
        NDArray column = mask.getManager().create(values, new Shape(values.length, 1)); // (B, 1)
        return column.mul(mask.toType(DataType.FLOAT32, false)); // (B, 1) * (B, T) -> (B, T)
    }
}
