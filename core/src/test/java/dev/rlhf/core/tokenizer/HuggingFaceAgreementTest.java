package dev.rlhf.core.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trains on text full of unusual white space, symbols and scripts, so that any difference between our pre-tokenizer
 * and Hugging Face's shows up as different merges, then checks that DJL encodes exactly like the reference encoder.
 */
class HuggingFaceAgreementTest {
    private static final String[] PIECES = {
        "x",
        "word",
        "\u00e9t\u00e9",
        "42",
        "\u0663",
        "!!",
        ".",
        "'s",
        "'ll",
        " ",
        "  ",
        "\t",
        "\n",
        "\r\n",
        "\u00a0",
        "\u3000",
        "\u2028",
        "\u0085",
        "\u000b",
        "\u001c",
        "\u001f",
        "\u200b",
        "\ufeff",
        "\u2003",
        "\u00ad",
        "\ud83d\ude00",
        "\u65e5\u672c",
        "\u0301",
        "_",
        "-",
        "\u00bd",
        "\u2160"
    };

    @TempDir
    Path dir;

    @Test
    void djlEncodesExactlyLikeTheReference() throws IOException {
        Random random = new Random(11);
        Path corpus = Files.writeString(dir.resolve("odd.txt"), randomText(random, 200_000));
        BpeModel model = BpeTrainer.train(List.of(corpus), 1500);
        TokenizerJsonWriter.write(model, dir);
        BpeReferenceEncoder reference = new BpeReferenceEncoder(model);
        try (Tokenizer tokenizer = Tokenizer.load(dir)) {
            for (int i = 0; i < 200; i++) {
                String text = randomText(random, 1 + random.nextInt(60));
                assertArrayEquals(reference.encode(text), tokenizer.encode(text), () -> escape(text));
                assertEquals(text, tokenizer.decode(tokenizer.encode(text)));
            }
        }
    }

    private static String randomText(Random random, int pieces) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < pieces; i++) {
            text.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return text.toString();
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder();
        text.chars()
                .forEach(c -> out.append(c < 128 && c >= 32 ? String.valueOf((char) c) : String.format("\\u%04x", c)));
        return out.toString();
    }
}
