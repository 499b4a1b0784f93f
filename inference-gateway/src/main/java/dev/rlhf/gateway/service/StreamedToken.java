package dev.rlhf.gateway.service;

import dev.rlhf.core.generation.Generation;

/**
 * One generated token as it is streamed.
 *
 * @param text what the token adds to the decoded output; empty while a multi-byte character is incomplete
 * @param finishReason why generation ended with this token; null on every token but the last
 * @param index position among the generated tokens, from 0
 * @param logprob log p(token) under the policy's raw logits
 */
public record StreamedToken(long id, String text, Generation.FinishReason finishReason, int index, float logprob) {}
