package dev.rlhf.core.tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * The tokens a reward model sees for a (prompt, response) pair: a user turn holding the prompt and an assistant turn
 * holding the response, through the project's own {@link ChatTemplate}. The reward-model trainer and the serving gateway both call this,
 * so a model is scored on exactly the token layout it was trained on.
 */
public final class PromptResponse {
    private PromptResponse() {}

    /** {@code ChatTemplate.own().encode(t, [user: prompt, assistant: response]).ids()}. */
    public static long[] encode(Tokenizer tokenizer, String prompt, String response) {
        return ChatTemplate.own()
                .encode(tokenizer, List.of(ChatMessage.user(prompt), ChatMessage.assistant(response)))
                .ids();
    }

    /**
     * The layout of a reply to a conversation ({@code prompt} ends with the turn the reply answers): the prompt's
     * turns, then the reply as an assistant turn. For a prompt of one user turn this is
     * {@link #encode(Tokenizer, String, String)}; multi-turn prompts (HH dialogues) keep every turn.
     */
    public static long[] encode(Tokenizer tokenizer, List<ChatMessage> prompt, String response) {
        List<ChatMessage> turns = new ArrayList<>(prompt);
        turns.add(ChatMessage.assistant(response));
        return ChatTemplate.own().encode(tokenizer, turns).ids();
    }

    /**
     * The same layout around contents that are already token ids (a rollout worker holds its response as ids): equal
     * to {@link #encode(Tokenizer, String, String)} whenever the ids are the encodings of the texts, because the
     * template encodes each content on its own.
     */
    public static long[] encode(Tokenizer tokenizer, long[] promptIds, long[] responseIds) {
        long[] end = tokenizer.encode(SpecialTokens.END_OF_TURN);
        long[] newline = tokenizer.encode("\n");
        return concat(
                tokenizer.encode(ChatTemplate.header("user")),
                promptIds,
                end,
                newline,
                tokenizer.encode(ChatTemplate.header("assistant")),
                responseIds,
                end,
                newline);
    }

    /**
     * The start of that layout up to the assistant header: what a policy continues to write the response. A response
     * sampled after it, ending at {@code <|end|>}, completes {@link #encode(Tokenizer, long[], long[])} up to its
     * trailing newline.
     */
    public static long[] promptPrefix(Tokenizer tokenizer, long[] promptIds) {
        return concat(
                tokenizer.encode(ChatTemplate.header("user")),
                promptIds,
                tokenizer.encode(SpecialTokens.END_OF_TURN),
                tokenizer.encode("\n"),
                tokenizer.encode(ChatTemplate.header("assistant")));
    }

    private static long[] concat(long[]... pieces) {
        int length = 0;
        for (long[] piece : pieces) {
            length += piece.length;
        }
        long[] out = new long[length];
        int at = 0;
        for (long[] piece : pieces) {
            System.arraycopy(piece, 0, out, at, piece.length);
            at += piece.length;
        }
        return out;
    }
}
