package dev.rlhf.core.ppo;

import ai.djl.ndarray.NDArray;
import dev.rlhf.core.model.Scalars;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The KL penalty as a term of the loss (GRPO's way, Shao et al. 2024) rather than of the reward: {@code beta * k} per
 * token, with k one of Schulman's estimators of KL(policy || reference) ("Approximating KL divergence", 2020).
 *
 * <p>Dimensions: B rollouts, T response tokens. {@code logp} (B, T) are the current policy's log-probs of the sampled
 * tokens (gradients flow through them), {@code refLogp} (B, T) the reference model's, {@code mask} (B, T) marks real
 * tokens. With {@code log r = refLogp - logp}:
 *
 * <pre>
 *   k1 = -log r                     unbiased, can be negative
 *   k2 = (log r)^2 / 2              biased as a value, &gt;= 0; as a loss on the policy's own samples its
 *                                   gradient is an unbiased estimate of the gradient of KL(policy || reference)
 *   k3 = (r - 1) - log r            unbiased, &gt;= 0 (GRPO's and TRL's GRPOTrainer's per_token_kl)
 *   term[b, t] = beta * k[b, t] * mask[b, t]
 * </pre>
 *
 * k1 and k3 are {@link KlEstimators#k1} / {@link KlEstimators#k3}; the term is meant to be added to the per-token
 * policy loss before {@link LossAggregation} reduces it. The coefficients are kept scalars ({@link Scalars}), so the
 * term is safe under gradient recording.
 */
public enum KlPenalty {
    K1,
    K2,
    K3;

    /** The name used in configs: {@code k1}, {@code k2}, {@code k3}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The estimator named {@code name} (case-insensitive); an unknown name is an error listing the known ones. */
    public static KlPenalty of(String name) {
        return Arrays.stream(values())
                .filter(k -> k.configName().equalsIgnoreCase(name == null ? "" : name.strip()))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown KL estimator '" + name + "' (expected one of "
                        + Arrays.stream(values()).map(KlPenalty::configName).collect(Collectors.joining(", "))
                        + ")"));
    }

    /** The estimate k (B, T), 0 at padding. */
    public NDArray perToken(NDArray logp, NDArray refLogp, NDArray mask) {
        return switch (this) {
            case K1 -> KlEstimators.k1(logp, refLogp, mask);
            case K2 -> {
                NDArray logR = refLogp.sub(logp).mul(Masked.asWeights(mask, logp)); // (B, T), 0 at padding
                yield logR.square().mul(Scalars.like(logR, 0.5f));
            }
            case K3 -> KlEstimators.k3(logp, refLogp, mask);
        };
    }

    /** The loss term {@code beta * k} (B, T), 0 at padding; {@code beta} must be finite and >= 0. */
    public NDArray term(NDArray logp, NDArray refLogp, NDArray mask, double beta) {
        if (!(beta >= 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("the KL coefficient beta must be finite and >= 0, got " + beta);
        }
        NDArray k = perToken(logp, refLogp, mask);
        return k.mul(Scalars.like(k, (float) beta));
    }
}
