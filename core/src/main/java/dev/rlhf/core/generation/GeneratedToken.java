package dev.rlhf.core.generation;

/**
 * One new token, as {@link Generator} reports it while decoding (for streaming to a client).
 *
 * @param row the prompt the token continues (its index in the batch)
 * @param index position of the token among the row's generated ones, from 0
 * @param id the token id
 * @param logprob log p(id | prompt, earlier tokens) under the raw logits, before temperature, top-k and top-p
 * @param finishReason why the row ends with this token; null while it goes on
 */
public record GeneratedToken(int row, int index, long id, float logprob, Generation.FinishReason finishReason) {

    public boolean last() {
        return finishReason != null;
    }
}
