package dev.rlhf.core.ppo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.rlhf.core.reward.RewardSources;

/**
 * The per-token reward PPO maximises: a KL penalty at every response token plus the reward model's score at the last
 * one (Ziegler et al., 2019; step 4 of the lm-human-preference-details recipe, TRL's {@code compute_rewards}).
 *
 * <p>Dimensions: B rollouts, T response tokens; {@code mask} (B, T) marks real tokens, {@code L_b = sum_t mask[b, t]}
 * is the length of response b. With {@code rm_b} the raw reward-model output:
 *
 * <pre>
 *   score_b      = clip((rm_b - rmMean) / rmStd, -scoreClip, scoreClip) - lengthPenalty * L_b
 *   reward[b, t] = -klCoef * k1[b, t]  +  score_b * [t is the last real token of b]
 * </pre>
 *
 * {@code k1 = logp - refLogp} ({@link KlEstimators#k1}) is evaluated on the rollout policy's log-probs. Padding gets
 * reward 0.
 */
public final class RewardShaping {

    private RewardShaping() {}

    /**
     * How the reward model's output becomes a score.
     *
     * @param rmMean mean of the RM's rewards on its calibration data, stored with the RM
     * @param rmStd their standard deviation; must be positive
     * @param scoreClip the normalised score is clipped to [-scoreClip, scoreClip]; {@code Double.POSITIVE_INFINITY}
     *     turns clipping off
     * @param lengthPenalty subtracted once per real response token; 0 turns it off
     * @param weights each reward source's weight, in config order
     * @param rmIndex the reward model's position among the sources, -1 when the job has none
     */
    public record Settings(
            double rmMean, double rmStd, double scoreClip, double lengthPenalty, double[] weights, int rmIndex) {

        public Settings {
            if (!(rmStd > 0)) {
                throw new IllegalArgumentException("rmStd must be > 0, got " + rmStd);
            }
            if (!(scoreClip > 0)) {
                throw new IllegalArgumentException("scoreClip must be > 0, got " + scoreClip);
            }
            if (rmIndex >= weights.length) {
                throw new IllegalArgumentException("rmIndex " + rmIndex + " with " + weights.length + " sources");
            }
            weights = weights.clone();
        }

        /** A job whose one reward source is the reward model, with weight 1. */
        public Settings(double rmMean, double rmStd, double scoreClip, double lengthPenalty) {
            this(rmMean, rmStd, scoreClip, lengthPenalty, new double[] {1}, 0);
        }

        /** {@code sum_k weight_k * rewards[k]}: a rollout's raw total, before normalisation (for the metrics). */
        public double rawTotal(float[] rewards) {
            return RewardSources.weightedSum(weights, rewards);
        }

        /** Raw scores: no normalisation, no clipping, no length penalty. */
        public static Settings raw() {
            return new Settings(0, 1, Double.POSITIVE_INFINITY, 0);
        }
    }

    /** {@code score_b} (B) from the reward model's outputs (B) and the response mask (B, T). */
    public static NDArray scores(NDArray rmRewards, NDArray mask, Settings settings) {
        NDArray score =
                rmRewards.toType(DataType.FLOAT32, false).sub(settings.rmMean()).div(settings.rmStd());
        if (Double.isFinite(settings.scoreClip())) {
            score = score.clip(-settings.scoreClip(), settings.scoreClip());
        }
        if (settings.lengthPenalty() != 0) {
            NDArray lengths = mask.toType(DataType.FLOAT32, false).sum(new int[] {1}); // (B)
            score = score.sub(lengths.mul(settings.lengthPenalty()));
        }
        return score;
    }

    /**
     * {@code score_b} (B) of a job with several reward sources: {@code rewards[b][k]} is source k's raw reward of
     * rollout b, and
     *
     * <pre>
     *   score_b = sum_k weight_k * s_bk  -  lengthPenalty * L_b
     *   s_bk    = clip((rewards[b][k] - rmMean) / rmStd, -scoreClip, scoreClip)   for the reward model's column
     *           = rewards[b][k]                                                  for a rule's
     * </pre>
     *
     * The weights and the reward model's column ({@code rmIndex}, -1 when the job has none) are the settings'.
     */
    public static NDArray scores(float[][] rewards, NDArray mask, Settings settings) {
        double[] weights = settings.weights();
        int rmIndex = settings.rmIndex();
        float[] lengths =
                mask.toType(DataType.FLOAT32, false).sum(new int[] {1}).toFloatArray();
        float[] out = new float[rewards.length];
        for (int b = 0; b < rewards.length; b++) {
            if (rewards[b].length != weights.length) {
                throw new IllegalArgumentException(
                        "rollout " + b + " has " + rewards[b].length + " rewards for " + weights.length + " sources");
            }
            double score = 0;
            for (int k = 0; k < weights.length; k++) {
                double r = rewards[b][k];
                if (k == rmIndex) {
                    r = (r - settings.rmMean()) / settings.rmStd();
                    r = Math.max(-settings.scoreClip(), Math.min(settings.scoreClip(), r));
                }
                score += weights[k] * r;
            }
            out[b] = (float) (score - settings.lengthPenalty() * lengths[b]);
        }
        return mask.getManager().create(out);
    }

    /** {@code reward[b, t]} (B, T) from scores (B), the per-token k1 (B, T), the mask (B, T) and the KL coefficient. */
    public static NDArray perToken(NDArray scores, NDArray k1, NDArray mask, double klCoef) {
        NDArray weights = mask.toType(DataType.FLOAT32, false);
        NDArray penalty = k1.mul(weights).mul(-klCoef); // (B, T)
        return penalty.add(lastRealToken(weights).mul(scores.expandDims(1))); // (B, T) + (B, T) * (B, 1)
    }

    /**
     * One-hot (B, T) of each row's last real token: the argmax over t of {@code mask[t] * (t + 1)}, which holds for
     * any padding side; a row without real tokens gets no 1.
     */
    static NDArray lastRealToken(NDArray weights) {
        NDManager manager = weights.getManager();
        long length = weights.getShape().get(1);
        NDArray positions = manager.arange(1f, length + 1f); // (T)
        NDArray last = weights.mul(positions).argMax(1).expandDims(1); // (B, 1)
        NDArray oneHot = manager.arange(0L, length).expandDims(0).eq(last); // (1, T) == (B, 1) -> (B, T)
        return oneHot.toType(DataType.FLOAT32, false).mul(weights);
    }
}
