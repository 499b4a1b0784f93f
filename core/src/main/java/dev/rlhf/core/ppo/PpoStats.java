package dev.rlhf.core.ppo;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What one PPO iteration measured. {@link #metrics()} writes it under the names TRL's {@code PPOTrainer} logs, grouped
 * by prefix ({@code objective/}, {@code policy/}, {@code loss/}, {@code val/}), plus {@code response/} and {@code ppo/}
 * for what TRL does not log.
 *
 * @param scoreMean the reward model's raw score, mean over the batch ({@code objective/scores})
 * @param scoreStd its population standard deviation
 * @param shapedScoreMean the score after normalisation, clipping and length penalty ({@link RewardShaping#scores})
 * @param kl KL(policy || reference) per response, mean over the batch (k1 summed over tokens: {@code objective/kl})
 * @param klPerToken k1 per real token
 * @param klK3PerToken k3 per real token (non-negative, lower variance)
 * @param klCoef the KL coefficient of this iteration
 * @param klInReward whether the KL was a penalty in the reward ({@code kl.loss_estimator} null) or a loss term
 * @param entropy the rollout policy's entropy per response, estimated as the sum of -log p of the sampled tokens
 * @param explainedVariance how much of the returns' variance the critic's values explain (1 is perfect)
 * @param responseLength mean response length in tokens
 * @param distinctResponses fraction of distinct responses in the batch (collapse shows as a fall)
 * @param epochs passes over the batch actually made (fewer when approx KL stopped the iteration early)
 * @param earlyStop whether approx KL stopped the iteration early
 * @param skippedSteps gradient steps dropped for a non-finite gradient norm
 * @param minibatches the mean over the iteration's applied gradient steps
 * @param offPolicy the importance-sampling correction, when the batch held stale rollouts and {@code ppo.tis_cap} is on
 */
public record PpoStats(
        double scoreMean,
        double scoreStd,
        double shapedScoreMean,
        double kl,
        double klPerToken,
        double klK3PerToken,
        double klCoef,
        boolean klInReward,
        double entropy,
        double explainedVariance,
        double responseLength,
        double distinctResponses,
        int epochs,
        boolean earlyStop,
        int skippedSteps,
        MinibatchStats minibatches,
        Optional<OffPolicy> offPolicy) {

    /**
     * The truncated importance-sampling correction of an iteration that trained on rollouts of an older policy
     * ({@link TruncatedImportanceSampling}), under TRL's metric names.
     *
     * @param staleRollouts rollouts sampled by an older policy version than the one trained
     */
    public record OffPolicy(int staleRollouts, double weightMean, double weightMax, double ratioMax, double clipped) {}

    /** The KL part of the return per response: {@code -kl_coef * kl}, or 0 when the KL is a loss term instead. */
    public double nonScoreReward() {
        return klInReward ? -klCoef * kl : 0;
    }

    /** The return PPO maximises per response: shaped score plus the KL part. */
    public double rlhfReward() {
        return shapedScoreMean + nonScoreReward();
    }

    /** The iteration's figures by metric name, in a stable order. */
    public Map<String, Object> metrics() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("objective/scores", scoreMean);
        m.put("objective/scores_std", scoreStd);
        m.put("objective/rlhf_reward", rlhfReward());
        m.put("objective/non_score_reward", nonScoreReward());
        m.put("objective/kl", kl);
        m.put("objective/kl_per_token", klPerToken);
        m.put("objective/kl_k3_per_token", klK3PerToken);
        m.put("objective/kl_coef", klCoef);
        m.put("objective/entropy", entropy);
        m.put("policy/approxkl_avg", minibatches.approxKl());
        m.put("policy/clipfrac_avg", minibatches.clipFrac());
        m.put("policy/entropy_avg", minibatches.entropy());
        m.put("policy/grad_norm", minibatches.policyGradNorm());
        m.put("loss/policy_avg", minibatches.policyLoss());
        m.put("loss/value_avg", minibatches.valueLoss());
        m.put("val/clipfrac_avg", minibatches.valueClipFrac());
        m.put("val/ratio", minibatches.ratioMean());
        m.put("val/explained_variance", explainedVariance);
        m.put("val/grad_norm", minibatches.criticGradNorm());
        m.put("response/length", responseLength);
        m.put("response/distinct", distinctResponses);
        m.put("ppo/epochs", epochs);
        m.put("ppo/early_stop", earlyStop);
        m.put("ppo/skipped_steps", skippedSteps);
        offPolicy.ifPresent(o -> {
            m.put("sampling/stale_rollouts", o.staleRollouts());
            m.put("sampling/importance_sampling_ratio/mean", o.weightMean());
            m.put("sampling/importance_sampling_ratio/max", o.weightMax());
            m.put("sampling/ratio_max_before_cap", o.ratioMax());
            m.put("sampling/clipped_frac", o.clipped());
        });
        return m;
    }
}
