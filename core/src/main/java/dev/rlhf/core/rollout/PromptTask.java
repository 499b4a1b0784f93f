package dev.rlhf.core.rollout;

/** A prompt to roll out: its place in the job (iteration, index) and its text (the user turn). */
public record PromptTask(long iteration, int index, String prompt) {}
