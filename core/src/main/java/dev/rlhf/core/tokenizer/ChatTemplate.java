package dev.rlhf.core.tokenizer;

import java.util.Arrays;
import java.util.List;

/**
 * How a conversation becomes text and tokens, and which tokens a model is trained on.
 *
 * <p>Every turn is {@code <|role|>\n content <|end|>\n} (without the spaces); a prompt for generation ends with
 * {@code <|assistant|>\n}, and the model's reply ends at {@code <|end|>}. {@link #JINJA} says the same for Hugging Face
 * tools; it is written into {@code tokenizer_config.json}.
 */
public final class ChatTemplate {
    /** The same format as a Hugging Face chat template; unknown roles raise an exception there too. */
    public static final String JINJA = "{% for message in messages %}"
            + "{% if message['role'] not in ['system', 'user', 'assistant'] %}"
            + "{{ raise_exception('unknown chat role ' + message['role']) }}{% endif %}"
            + "{{ '<|' + message['role'] + '|>\\n' + message['content'] + '<|end|>\\n' }}"
            + "{% endfor %}"
            + "{% if add_generation_prompt %}{{ '<|assistant|>\\n' }}{% endif %}";

    private ChatTemplate() {}

    /** The text of a conversation, optionally followed by the opening of an assistant turn. */
    public static String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        StringBuilder text = new StringBuilder();
        for (ChatMessage message : messages) {
            text.append(header(message.role()))
                    .append(message.content())
                    .append(SpecialTokens.END_OF_TURN)
                    .append('\n');
        }
        if (addGenerationPrompt) {
            text.append(header("assistant"));
        }
        return text.toString();
    }

    /** The tokens of a whole conversation for training, with the assistant turns marked for loss. */
    public static EncodedChat encode(Tokenizer tokenizer, List<ChatMessage> messages) {
        return encode(tokenizer, messages, false);
    }

    /**
     * The tokens of {@link #render}, with the assistant contents and their closing {@code <|end|>} marked for loss.
     *
     * <p>Header, content, {@code <|end|>} and the final newline are encoded separately and concatenated, so the mask
     * falls exactly on token boundaries. With our tokenizers the ids equal those of the rendered text encoded in one
     * go, except where a content is only white space or starts with two or more white-space characters (the newline
     * after the role token then joins them).
     */
    public static EncodedChat encode(Tokenizer tokenizer, List<ChatMessage> messages, boolean addGenerationPrompt) {
        Pieces pieces = new Pieces();
        long[] end = tokenizer.encode(SpecialTokens.END_OF_TURN);
        long[] newline = tokenizer.encode("\n");
        for (ChatMessage message : messages) {
            boolean trained = message.isAssistant();
            pieces.add(tokenizer.encode(header(message.role())), false);
            pieces.add(tokenizer.encode(message.content()), trained);
            pieces.add(end, trained);
            pieces.add(newline, false);
        }
        if (addGenerationPrompt) {
            pieces.add(tokenizer.encode(header("assistant")), false);
        }
        return pieces.build();
    }

    /** The start of a turn: the role token and a newline. */
    static String header(String role) {
        return "<|" + role + "|>\n";
    }

    /** Collects token pieces and their mask. */
    private static final class Pieces {
        private long[] ids = new long[256];
        private boolean[] mask = new boolean[256];
        private int size;

        void add(long[] piece, boolean trained) {
            if (size + piece.length > ids.length) {
                int capacity = Math.max(ids.length * 2, size + piece.length);
                ids = Arrays.copyOf(ids, capacity);
                mask = Arrays.copyOf(mask, capacity);
            }
            System.arraycopy(piece, 0, ids, size, piece.length);
            Arrays.fill(mask, size, size + piece.length, trained);
            size += piece.length;
        }

        EncodedChat build() {
            return new EncodedChat(Arrays.copyOf(ids, size), Arrays.copyOf(mask, size));
        }
    }
}
