package dev.rlhf.core.tokenizer;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class TokenizerErrorsTest {
    @TempDir
    Path dir;

    private static void assertMessage(Executable action, String... parts) {
        TokenizerException e = assertThrows(TokenizerException.class, action);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "expected '" + part + "' in: " + e.getMessage());
        }
    }

    @Test
    void missingCorpusFile() {
        assertMessage(() -> BpeTrainer.train(List.of(dir.resolve("nope.txt")), 1000), "nope.txt", "not found");
    }

    @Test
    void emptyCorpus() throws IOException {
        Path empty = Files.writeString(dir.resolve("empty.txt"), "");
        assertMessage(() -> BpeTrainer.train(List.of(empty), 1000), "empty.txt", "empty");
    }

    @Test
    void vocabSizeTooSmall() throws IOException {
        Path corpus = Files.writeString(dir.resolve("corpus.txt"), "some text");
        assertMessage(() -> BpeTrainer.train(List.of(corpus), 100), "corpus.txt", "100", "minimum is 262");
    }

    @Test
    void corpusNotUtf8() throws IOException {
        Path latin1 = Files.write(dir.resolve("latin1.txt"), new byte[] {'c', 'a', 'f', (byte) 0xE9, ' '});
        assertMessage(() -> BpeTrainer.train(List.of(latin1), 1000), "latin1.txt", "not valid UTF-8");
    }

    @Test
    void corruptGzip() throws IOException {
        Path gz = Files.writeString(dir.resolve("corpus.txt.gz"), "not gzip at all");
        assertMessage(() -> BpeTrainer.train(List.of(gz), 1000), "corpus.txt.gz", "gzip");
    }

    @Test
    void tokenizerJsonNotJson() throws IOException {
        Path file = Files.writeString(dir.resolve("tokenizer.json"), "{\"version\": \"1.0\", oops");
        assertMessage(() -> Tokenizer.load(file), file.toString(), "not valid JSON");
        assertMessage(() -> Tokenizer.load(dir), file.toString(), "not valid JSON");
    }

    @Test
    void tokenizerJsonWithoutModel() throws IOException {
        Path file = Files.writeString(dir.resolve("tokenizer.json"), "{\"version\": \"1.0\", \"added_tokens\": []}");
        assertMessage(() -> Tokenizer.load(file), file.toString(), "missing the \"model\"");
    }

    @Test
    void tokenizerJsonWithoutVocab() throws IOException {
        Path file = Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": {\"type\": \"BPE\"}}");
        assertMessage(() -> Tokenizer.load(file), file.toString(), "no \"vocab\"");
    }

    @Test
    void tokenizerJsonIsAnArray() throws IOException {
        Path file = Files.writeString(dir.resolve("tokenizer.json"), "[1, 2]");
        assertMessage(() -> Tokenizer.load(file), file.toString(), "expected a JSON object");
    }

    @Test
    void tokenizerJsonRejectedByTheLibrary() throws IOException {
        Path file = Files.writeString(
                dir.resolve("tokenizer.json"),
                "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}, \"merges\": [\"a b\"]}}");
        assertMessage(() -> Tokenizer.load(file), file.toString(), "cannot load");
    }

    @Test
    void missingTokenizerJson() {
        assertMessage(() -> Tokenizer.load(dir), dir.resolve("tokenizer.json").toString(), "not found");
        assertMessage(() -> Tokenizer.load(dir.resolve("x.json")), "x.json", "not found");
    }
}
