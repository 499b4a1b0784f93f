package dev.rlhf.core.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits text into the words that byte-level BPE merges within, using GPT-2's regular expression exactly as Hugging
 * Face's {@code ByteLevel} pre-tokenizer does with {@code use_regex=true}.
 *
 * <p>A word is a contraction suffix, a run of letters, of digits or of other symbols (each optionally led by one
 * space), or a run of whitespace. Whitespace before a word is left as a separate run except for its last space, which
 * joins the word. {@code \s} must mean Unicode white space, as in Oniguruma, hence {@code UNICODE_CHARACTER_CLASS}.
 */
public final class ByteLevelPreTokenizer {
    /** GPT-2's pre-tokenization pattern. */
    public static final String REGEX =
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

    private static final Pattern PATTERN = Pattern.compile(REGEX, Pattern.UNICODE_CHARACTER_CLASS);

    private ByteLevelPreTokenizer() {}

    /** The words of {@code text}, in order; they concatenate back to the text. */
    public static List<String> split(CharSequence text) {
        List<String> words = new ArrayList<>();
        forEachWord(text, words::add);
        return words;
    }

    /** Calls {@code action} with every word of {@code text}, in order, without collecting them. */
    public static void forEachWord(CharSequence text, Consumer<String> action) {
        Matcher matcher = PATTERN.matcher(text);
        while (matcher.find()) {
            action.accept(matcher.group());
        }
    }
}
