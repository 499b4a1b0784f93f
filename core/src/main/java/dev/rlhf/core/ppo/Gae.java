package dev.rlhf.core.ppo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Generalized advantage estimation (Schulman et al., "High-Dimensional Continuous Control Using Generalized Advantage
 * Estimation", 2016).
 *
 * <p>Dimensions: B rollouts, T response tokens; rewards, values and mask are (B, T). Over the real tokens of each row,
 * taken in order, with {@code V} after the last real token equal to 0 (the episode ends with the response):
 *
 * <pre>
 *   delta_t = r_t + gamma * V_{t+1} - V_t
 *   A_t     = delta_t + gamma * lambda * A_{t+1}      = sum_k (gamma lambda)^k delta_{t+k}
 *   R_t     = A_t + V_t                               (the value target, "returns")
 * </pre>
 *
 * The recursion runs backwards over a row and skips padded positions, whose advantage and return are 0. The rollout
 * tensors carry no gradient, so the arithmetic is done on the host in doubles, one row at a time.
 */
public final class Gae {

    private Gae() {}

    /** Advantages and returns, both (B, T), 0 at padding. */
    public record Result(NDArray advantages, NDArray returns) {}

    /** GAE over a batch; the outputs live in the rewards' manager. */
    public static Result compute(NDArray rewards, NDArray values, NDArray mask, double gamma, double lambda) {
        Shape shape = rewards.getShape();
        if (shape.dimension() != 2 || !shape.equals(values.getShape()) || !shape.equals(mask.getShape())) {
            throw new IllegalArgumentException("rewards, values and mask must all be (B, T), got " + shape + ", "
                    + values.getShape() + ", " + mask.getShape());
        }
        int b = Math.toIntExact(shape.get(0));
        int t = Math.toIntExact(shape.get(1));
        float[] r = rewards.toType(DataType.FLOAT32, false).toFloatArray();
        float[] v = values.toType(DataType.FLOAT32, false).toFloatArray();
        float[] m = mask.toType(DataType.FLOAT32, false).toFloatArray();
        float[] advantages = new float[b * t];
        float[] returns = new float[b * t];
        for (int row = 0; row < b; row++) {
            int from = row * t;
            advantages(r, v, m, from, t, gamma, lambda, advantages);
            for (int i = from; i < from + t; i++) {
                returns[i] = m[i] > 0 ? advantages[i] + v[i] : 0f;
            }
        }
        NDManager manager = rewards.getManager();
        return new Result(manager.create(advantages, shape), manager.create(returns, shape));
    }

    /** GAE of one row given as arrays of length T ({@code mask[t] > 0} marks a real token). */
    public static float[] advantages(float[] rewards, float[] values, float[] mask, double gamma, double lambda) {
        if (rewards.length != values.length || rewards.length != mask.length) {
            throw new IllegalArgumentException("rewards, values and mask differ in length: " + rewards.length + ", "
                    + values.length + ", " + mask.length);
        }
        float[] out = new float[rewards.length];
        advantages(rewards, values, mask, 0, rewards.length, gamma, lambda, out);
        return out;
    }

    /** The backward recursion over {@code [from, from + length)}, written into {@code out} at the same positions. */
    private static void advantages(
            float[] r, float[] v, float[] mask, int from, int length, double gamma, double lambda, float[] out) {
        double nextValue = 0; // V after the last real token
        double nextAdvantage = 0;
        for (int i = from + length - 1; i >= from; i--) {
            if (mask[i] <= 0) {
                out[i] = 0f;
                continue;
            }
            double delta = r[i] + gamma * nextValue - v[i];
            double advantage = delta + gamma * lambda * nextAdvantage;
            out[i] = (float) advantage;
            nextValue = v[i];
            nextAdvantage = advantage;
        }
    }
}
