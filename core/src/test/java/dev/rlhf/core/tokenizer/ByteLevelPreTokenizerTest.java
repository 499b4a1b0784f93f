package dev.rlhf.core.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ByteLevelPreTokenizerTest {
    @Test
    void splitsLikeGpt2() {
        assertEquals(
                List.of("Hello", ",", " world", "'s", " 123", " ", " spaced", "\n", "\n", "end", "!!", " \t"),
                ByteLevelPreTokenizer.split("Hello, world's 123  spaced\n\nend!! \t"));
    }

    @Test
    void lastSpaceBeforeAWordJoinsIt() {
        assertEquals(List.of("a", "\n ", " b", "   ", " c"), ByteLevelPreTokenizer.split("a\n  b    c"));
    }

    @Test
    void unicodeWhitespaceLettersAndNumbers() {
        // U+00A0 and U+3000 are white space; U+00E9 is a letter; U+0663 (Arabic-Indic three) is a number
        assertEquals(
                List.of("caf\u00e9", "\u00a0", "\u0663\u0663", "\u3000", "\u65e5\u672c", " \ud83d\ude00"),
                ByteLevelPreTokenizer.split("caf\u00e9\u00a0\u0663\u0663\u3000\u65e5\u672c \ud83d\ude00"));
    }

    @Test
    void unicodeWhitespaceIsWhitespaceNotASymbol() {
        assertEquals(
                List.of("x", " ", "\u00a0", "y", "\u00a0", "!!"), ByteLevelPreTokenizer.split("x \u00a0y\u00a0!!"));
    }

    @Test
    void wordsConcatenateToTheText() {
        String text = "  It's   a\ttest\r\n\u00a0of 42 things;;; \ud83d\udc4d\ud83c\udffd ok\n";
        assertEquals(text, String.join("", ByteLevelPreTokenizer.split(text)));
    }
}
