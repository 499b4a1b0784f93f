package dev.rlhf.core.rollout;

/** A prompt to roll out: its place in the job (iteration, index), its text (the user turn) and reference answer. */
public record PromptTask(long iteration, int index, Prompt prompt) {}
