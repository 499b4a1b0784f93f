package dev.rlhf.core.ppo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * REINFORCE++ advantages (Hu, "REINFORCE++: A Simple and Efficient Approach for Aligning Large Language Models", 2025):
 * per-token discounted returns of a reward that already holds the KL penalty, normalised over every real token of the
 * batch instead of a learned baseline.
 *
 * <p>Dimensions: B rollouts, T response tokens. {@code rewards} (B, T) is the shaped per-token reward of
 * {@link RewardShaping#perToken} (the score at the last real token, {@code -klCoef * k1} at every token), {@code mask}
 * (B, T) marks real tokens, {@code n = sum(mask)}. Over the real tokens of each row, in order:
 *
 * <pre>
 *   G_t   = r_t + gamma * G_{t+1}                        (G after the last real token = 0)
 *   mu    = sum(G * mask) / n
 *   var   = sum((G - mu)^2 * mask) / n                   (biased, as OpenRLHF)
 *   A_t   = (G_t - mu) / sqrt(max(var, 1e-8))
 * </pre>
 *
 * This is OpenRLHF's {@code advantage_estimator = "reinforce"} ({@code openrlhf/trainer/ppo_utils/experience_maker.py}:
 * {@code compute_reward}, {@code get_cumulative_returns}, then the batch normalisation with {@code var.clamp(min=1e-8)
 * .rsqrt()}). Padding is skipped by the recursion and is 0 in both outputs. Host arithmetic in doubles, as {@link Gae}.
 */
public final class ReinforcePlusPlus {

    /** The smallest variance divided by, so that a constant batch gives advantages 0. */
    public static final double MIN_VARIANCE = 1e-8;

    private ReinforcePlusPlus() {}

    /** Normalised advantages and the raw returns {@code G}, both (B, T), 0 at padding. */
    public record Result(NDArray advantages, NDArray returns) {}

    /** From the shaped per-token rewards (B, T). */
    public static Result compute(NDArray rewards, NDArray mask, double gamma) {
        Shape shape = rewards.getShape();
        if (shape.dimension() != 2 || !shape.equals(mask.getShape())) {
            throw new IllegalArgumentException(
                    "rewards and mask must both be (B, T), got " + shape + " and " + mask.getShape());
        }
        if (!(gamma > 0 && gamma <= 1)) {
            throw new IllegalArgumentException("gamma must be in (0, 1], got " + gamma);
        }
        int t = Math.toIntExact(shape.get(1));
        float[] r = rewards.toType(DataType.FLOAT32, false).toFloatArray();
        float[] m = mask.toType(DataType.FLOAT32, false).toFloatArray();
        double[] returns = new double[r.length];
        double sum = 0;
        int n = 0;
        for (int from = 0; from < r.length; from += t) {
            double next = 0; // G after the last real token
            for (int i = from + t - 1; i >= from; i--) {
                if (m[i] > 0) {
                    next = r[i] + gamma * next;
                    returns[i] = next;
                    sum += next;
                    n++;
                }
            }
        }
        double mean = sum / Math.max(n, 1);
        double squares = 0;
        for (int i = 0; i < r.length; i++) {
            squares += m[i] > 0 ? (returns[i] - mean) * (returns[i] - mean) : 0;
        }
        double scale = 1 / Math.sqrt(Math.max(squares / Math.max(n, 1), MIN_VARIANCE));
        float[] advantages = new float[r.length];
        float[] returnsOut = new float[r.length];
        for (int i = 0; i < r.length; i++) {
            if (m[i] > 0) {
                advantages[i] = (float) ((returns[i] - mean) * scale);
                returnsOut[i] = (float) returns[i];
            }
        }
        NDManager manager = rewards.getManager();
        return new Result(manager.create(advantages, shape), manager.create(returnsOut, shape));
    }

    /**
     * The whole estimator from sequence scores (B), the rollout's k1 (B, T) and the KL coefficient: the reward of
     * {@link RewardShaping#perToken}, then {@link #compute}.
     */
    public static Result compute(NDArray scores, NDArray k1, NDArray mask, double klCoef, double gamma) {
        return compute(RewardShaping.perToken(scores, k1, mask, klCoef), mask, gamma);
    }
}
