package dev.rlhf.gateway.service;

/**
 * A reward model's score of one pair.
 *
 * @param tokens tokens the model saw, after truncation
 * @param truncated true when the pair was cut to the model's {@code max_sequence_length}
 * @param model {@code name/version} of the model that scored it
 */
public record Reward(float reward, int tokens, boolean truncated, String model) {}
