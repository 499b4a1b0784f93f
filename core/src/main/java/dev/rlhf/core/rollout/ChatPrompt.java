package dev.rlhf.core.rollout;

import dev.rlhf.core.tokenizer.PromptResponse;
import dev.rlhf.core.tokenizer.SpecialTokens;
import dev.rlhf.core.tokenizer.Tokenizer;
import java.util.Arrays;
import java.util.Set;

/**
 * How a policy is asked a prompt: the text as the user turn, cut from the left to {@code maxPromptTokens} content
 * tokens, followed by the assistant header; the policy's answer ends at {@code <|end|>} (or EOS).
 */
public final class ChatPrompt {

    private final Tokenizer tokenizer;
    private final int maxPromptTokens;

    public ChatPrompt(Tokenizer tokenizer, int maxPromptTokens) {
        this.tokenizer = tokenizer;
        this.maxPromptTokens = maxPromptTokens;
    }

    /** The user turn's content tokens, the last {@code maxPromptTokens} of them. */
    public long[] content(String prompt) {
        long[] ids = tokenizer.encode(prompt);
        return ids.length <= maxPromptTokens ? ids : Arrays.copyOfRange(ids, ids.length - maxPromptTokens, ids.length);
    }

    /** What the policy continues: the chat layout up to the assistant header. */
    public long[] input(long[] content) {
        return PromptResponse.promptPrefix(tokenizer, content);
    }

    /** The token that ends an answer. */
    public long endOfTurn() {
        return tokenizer.tokenId(SpecialTokens.END_OF_TURN).orElse(tokenizer.eosId());
    }

    /** Where generation stops: the end of the turn or of the text. */
    public Set<Long> stopTokens() {
        return Set.of(endOfTurn(), (long) tokenizer.eosId());
    }

    /** The response without its closing end-of-turn token. */
    public long[] withoutEnd(long[] response) {
        int n = response.length;
        return n > 0 && response[n - 1] == endOfTurn() ? Arrays.copyOf(response, n - 1) : response;
    }
}
