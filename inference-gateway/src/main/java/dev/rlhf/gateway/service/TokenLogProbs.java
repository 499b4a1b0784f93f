package dev.rlhf.gateway.service;

/**
 * Per-token log-probabilities of a sequence: {@code logprobs[i] = log p(ids[i+1] | ids[0..i])}.
 *
 * @param model {@code name/version} of the model that computed them
 */
public record TokenLogProbs(long[] ids, float[] logprobs, String model) {}
