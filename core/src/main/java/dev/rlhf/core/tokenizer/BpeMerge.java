package dev.rlhf.core.tokenizer;

/**
 * One learned merge: wherever token {@code left} is directly followed by token {@code right} inside a word, the two
 * become token {@code merged}. Merges apply in the order they were learned.
 *
 * @param left id of the first token
 * @param right id of the second token
 * @param merged id of the token they form; two merges may form the same string and then share this id
 */
public record BpeMerge(int left, int right, int merged) {}
