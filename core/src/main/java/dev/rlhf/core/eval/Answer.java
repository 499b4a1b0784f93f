package dev.rlhf.core.eval;

/**
 * One model's answer to one prompt.
 *
 * @param response the decoded answer, without its end-of-turn token
 * @param kl the answer's KL to the reference model, {@code Σ_t log p_model(y_t) - log p_ref(y_t)} over its tokens; NaN
 *     without a reference
 */
public record Answer(String response, double kl) {}
