package dev.rlhf.core.tokenizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How one model sees a conversation and a reply as token ids: its tokenizer and its chat template. The one place that
 * lays out (conversation, reply) for a model. The reward-model trainer, the gateway's Reward service, PPO's rollouts
 * (the policy's prompt and the reward model's input), the reward-model judge and {@code rlhf rm score} all call it,
 * so a reward model is scored on the layout it was trained on, whatever its template.
 *
 * <ul>
 *   <li>{@link #reply(List, String)}: the conversation and the reply as an assistant turn, rendered and encoded in one
 *       go, as transformers does. A reward model reads its score at the last token, whatever the template writes last
 *       (the newline after {@code <|end|>} or {@code <|im_end|>}, Llama 3's {@code <|eot_id|>}).
 *   <li>{@link #prompt}: what a policy continues, exactly {@code apply_chat_template(..., add_generation_prompt=True)}
 *       of a user turn (for Qwen3 that ends at {@code <|im_start|>assistant\n}; the empty {@code <think>} block is the
 *       model's to write); a long prompt loses tokens of its content from the left, never a template token.
 *   <li>{@link #reply(long[], long[])}: a sampled reply after that prompt, closed as the template closes an assistant
 *       turn; equal to {@link #reply(List, String)} whenever the policy wrote what the template would render.
 * </ul>
 */
public final class ChatLayout {
    private static final String PROBE_REPLY = "Certainly.";

    private final Tokenizer tokenizer;
    private final ChatTemplate template;
    private final long endOfTurn;
    private final long[] afterEndOfTurn;

    public ChatLayout(Tokenizer tokenizer, ChatTemplate template) {
        this.tokenizer = tokenizer;
        this.template = template;
        this.endOfTurn = tokenizer.tokenId(template.endOfTurn()).orElse(tokenizer.eosId());
        this.afterEndOfTurn = tokenizer.encode(afterEndOfTurn(template));
    }

    /**
     * The layout of the model whose tokenizer this is, with the template of its directory.
     *
     * @throws ChatTemplateException naming the directory when it has no chat template
     */
    public static ChatLayout of(Tokenizer tokenizer) {
        return new ChatLayout(tokenizer, ChatTemplate.of(tokenizer));
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public ChatTemplate template() {
        return template;
    }

    /** A one-turn prompt and its reply: {@code reply([user: prompt], reply)}. */
    public long[] reply(String prompt, String reply) {
        return reply(List.of(ChatMessage.user(prompt)), reply);
    }

    /**
     * The conversation ({@code conversation} ends with the turn the reply answers; multi-turn HH dialogues keep every
     * turn) and the reply as an assistant turn: the template's text, encoded in one go.
     */
    public long[] reply(List<ChatMessage> conversation, String reply) {
        List<ChatMessage> turns = new ArrayList<>(conversation);
        turns.add(ChatMessage.assistant(reply));
        return tokenizer.encode(template.render(turns, false));
    }

    /**
     * A prompt as the policy sees it.
     *
     * @param ids the generation prompt's token ids
     * @param user the user's content as kept (the decoded content tokens when the prompt was cut)
     */
    public record Prompt(long[] ids, String user) {}

    /**
     * The generation prompt of one user turn, with at most {@code maxContentTokens} tokens of its content: a longer
     * content keeps its last ones, and every token the template writes around it stays.
     *
     * @throws ChatTemplateException naming the template when a prompt must be cut but the template does not render it
     *     verbatim
     */
    public Prompt prompt(String user, int maxContentTokens) {
        String text = template.render(List.of(ChatMessage.user(user)), true);
        TokenOffsets tokens = tokenizer.encodeWithOffsets(text);
        int start = text.indexOf(user);
        int length = user.length();
        if (start < 0) {
            start = text.indexOf(user.strip());
            length = user.strip().length();
        }
        if (start < 0) {
            if (tokenizer.encode(user).length <= maxContentTokens) {
                return new Prompt(tokens.ids(), user);
            }
            throw new ChatTemplateException(template.origin() + ": a prompt longer than " + maxContentTokens
                    + " tokens must be cut, but the template does not render it verbatim");
        }
        // content tokens are those that start inside the content; tokens that start before it are the template's
        int first = 0;
        while (first < tokens.ids().length && tokens.starts()[first] < start) {
            first++;
        }
        int end = first;
        while (end < tokens.ids().length && tokens.starts()[end] < start + length) {
            end++;
        }
        int cut = Math.max(0, end - first - maxContentTokens);
        if (cut == 0) {
            return new Prompt(tokens.ids(), user);
        }
        long[] ids = new long[tokens.ids().length - cut];
        System.arraycopy(tokens.ids(), 0, ids, 0, first);
        System.arraycopy(tokens.ids(), first + cut, ids, first, tokens.ids().length - first - cut);
        return new Prompt(ids, tokenizer.decode(Arrays.copyOfRange(tokens.ids(), first + cut, end)));
    }

    /**
     * A reply sampled after {@code promptIds} (from {@link #prompt}): the prompt, the reply without its closing
     * end-of-turn token, then the template's close of an assistant turn (the end-of-turn token and what follows it).
     * A reply cut by the token budget is closed the same way.
     */
    public long[] reply(long[] promptIds, long[] sampled) {
        return concat(promptIds, withoutEnd(sampled), new long[] {endOfTurn}, afterEndOfTurn);
    }

    /**
     * The project's template around contents that are already token ids (a client of the gateway's Reward service):
     * equal to {@link #reply(String, String)} whenever the ids are the encodings of the texts, because every content
     * sits between special tokens and newlines that the tokenizers this project trains never merge across.
     *
     * @throws ChatTemplateException for any other template: its text around a content can merge with the content's
     *     first or last characters into one token (Qwen3's {@code \n\n} after {@code </think>}), so spliced ids would
     *     not be what the model was trained on
     */
    public long[] replyOfContentIds(long[] promptContent, long[] replyContent) {
        if (!template.isProjects()) {
            throw new ChatTemplateException(template.origin() + ": only the project's own template lays out token ids "
                    + "of the contents; this model's template needs the texts");
        }
        long[] end = tokenizer.encode(SpecialTokens.END_OF_TURN);
        long[] newline = tokenizer.encode("\n");
        return concat(
                tokenizer.encode(ChatTemplate.header("user")),
                promptContent,
                end,
                newline,
                tokenizer.encode(ChatTemplate.header("assistant")),
                replyContent,
                end,
                newline);
    }

    /** The token that closes an assistant turn (the model's EOS if the template's is not in the vocabulary). */
    public long endOfTurnId() {
        return endOfTurn;
    }

    /** A sampled reply without its closing end-of-turn token. */
    public long[] withoutEnd(long[] sampled) {
        int n = sampled.length;
        return n > 0 && sampled[n - 1] == endOfTurn ? Arrays.copyOf(sampled, n - 1) : sampled;
    }

    /**
     * Whether the other layout gives the same ids for the same conversation: the same {@code tokenizer.json} and the
     * same template. A policy's rollout ids can then go to the reward model as they are.
     */
    public boolean sameAs(ChatLayout other) {
        try {
            return template.text().equals(other.template.text())
                    && Files.mismatch(tokenizer.file(), other.tokenizer.file()) == -1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the template writes after the end-of-turn token of a final assistant turn ({@code "\n"} for ours). */
    private static String afterEndOfTurn(ChatTemplate template) {
        String full = template.render(List.of(ChatMessage.user("Hello?"), ChatMessage.assistant(PROBE_REPLY)), false);
        int close = full.indexOf(template.endOfTurn(), full.lastIndexOf(PROBE_REPLY));
        return full.substring(close + template.endOfTurn().length());
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
