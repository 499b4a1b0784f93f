package dev.rlhf.core.tokenizer;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The special tokens of the tokenizers this project trains. They take the ids 0..5, in the order of {@link #ALL}, in
 * front of the 256 byte symbols.
 *
 * <p>{@link #END_OF_TEXT} is both the beginning- and the end-of-sequence token. The role tokens and {@link #END_OF_TURN}
 * frame the turns of a conversation (see {@link ChatTemplate}).
 */
public final class SpecialTokens {
    /** Separates documents; used as BOS and EOS. */
    public static final String END_OF_TEXT = "<|endoftext|>";
    /** Fills batches up to a common length; never trained on. */
    public static final String PAD = "<|pad|>";
    /** Opens a system turn. */
    public static final String SYSTEM = "<|system|>";
    /** Opens a user turn. */
    public static final String USER = "<|user|>";
    /** Opens an assistant turn. */
    public static final String ASSISTANT = "<|assistant|>";
    /** Closes a chat turn; generation of an assistant reply stops here. */
    public static final String END_OF_TURN = "<|end|>";

    /** All special tokens; a token's position in this list is its id in our trained tokenizers. */
    public static final List<String> ALL = List.of(END_OF_TEXT, PAD, SYSTEM, USER, ASSISTANT, END_OF_TURN);

    private static final Pattern ANY =
            Pattern.compile(ALL.stream().map(Pattern::quote).collect(Collectors.joining("|")));

    private SpecialTokens() {}

    /** The id of a special token in our trained tokenizers, or -1 if {@code token} is not one of them. */
    public static int id(String token) {
        return ALL.indexOf(token);
    }

    /** Matches any special token; text is cut at these before pre-tokenization, as Hugging Face does. */
    static Pattern pattern() {
        return ANY;
    }
}
