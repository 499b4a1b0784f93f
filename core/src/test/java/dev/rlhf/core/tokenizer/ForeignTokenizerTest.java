package dev.rlhf.core.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tokenizers that are not ours: other special tokens, ids that do not start at 0, other model types. */
class ForeignTokenizerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** A Qwen-like byte-level BPE: plain vocab first, its own special tokens after it, eos named by the config. */
    private Path qwenLike(boolean withConfig) throws IOException {
        BpeModel model = BpeTrainer.train(List.of(Files.writeString(dir.resolve("c.txt"), "the cat, the hat\n")), 270);
        List<String> plain = new ArrayList<>(model.vocab().subList(6, model.vocabSize()));
        ObjectNode root = TokenizerJsonWriter.tokenizerJson(model);
        ObjectNode vocab = ((ObjectNode) root.get("model")).putObject("vocab");
        for (int id = 0; id < plain.size(); id++) {
            vocab.put(plain.get(id), id);
        }
        ArrayNode added = root.putArray("added_tokens");
        for (String special : List.of("<|endoftext|>", "<|im_start|>", "<|im_end|>")) {
            int id = plain.size() + added.size();
            added.addObject()
                    .put("id", id)
                    .put("content", special)
                    .put("single_word", false)
                    .put("lstrip", false)
                    .put("rstrip", false)
                    .put("normalized", false)
                    .put("special", true);
        }
        Path file = dir.resolve("tokenizer.json");
        JSON.writeValue(file.toFile(), root);
        if (withConfig) {
            ObjectNode config = JSON.createObjectNode();
            config.putObject("eos_token").put("content", "<|im_end|>");
            JSON.writeValue(dir.resolve("tokenizer_config.json").toFile(), config);
        }
        return file;
    }

    private static String addedToken(int id, String content) {
        return "{\"id\": " + id + ", \"content\": \"" + content + "\", \"single_word\": false, \"lstrip\": false,"
                + " \"rstrip\": false, \"normalized\": false, \"special\": true}";
    }

    @Test
    void eosComesFromTheConfigAndOurTokensAreAbsent() throws IOException {
        try (Tokenizer tokenizer = Tokenizer.load(qwenLike(true))) {
            int base = 256 + 8; // 256 bytes and the 8 merges of this corpus
            assertEquals(base + 3, tokenizer.vocabSize());
            assertEquals(base + 2, tokenizer.eosId());
            assertEquals(OptionalInt.empty(), tokenizer.padId());
            assertEquals(OptionalInt.empty(), tokenizer.tokenId("<|end|>"));
            long[] ids = tokenizer.encode("the cat<|im_end|>");
            assertEquals(base + 2, ids[ids.length - 1]);
            assertEquals("the cat<|im_end|>", tokenizer.decode(ids));
            assertEquals("the cat", tokenizer.decode(ids, true));
        }
    }

    @Test
    void eosFallsBackToEndOfText() throws IOException {
        try (Tokenizer tokenizer = Tokenizer.load(qwenLike(false))) {
            assertEquals(tokenizer.tokenId("<|endoftext|>").getAsInt(), tokenizer.eosId());
        }
    }

    @Test
    void missingEosIsReportedWithTheFile() throws IOException {
        Path file = Files.writeString(dir.resolve("tokenizer.json"), """
                {"model": {"type": "WordLevel", "unk_token": "[UNK]",
                           "vocab": {"[UNK]": 0, "hello": 1, "world": 2}},
                 "pre_tokenizer": {"type": "Whitespace"}}
                """);
        try (Tokenizer tokenizer = Tokenizer.load(file)) {
            assertArrayEquals(new long[] {1, 2, 0}, tokenizer.encode("hello world again"));
            assertEquals(3, tokenizer.vocabSize());
            TokenizerException e = assertThrows(TokenizerException.class, tokenizer::eosId);
            assertTrue(
                    e.getMessage().contains(file.toString()) && e.getMessage().contains("end-of-sequence"));
        }
    }

    @Test
    void unigramVocabIsAListInIdOrder() throws IOException {
        Path file = Files.writeString(
                dir.resolve("tokenizer.json"), """
                {"added_tokens": [%s, %s],
                 "pre_tokenizer": {"type": "Metaspace", "replacement": "\\u2581", "prepend_scheme": "always"},
                 "decoder": {"type": "Metaspace", "replacement": "\\u2581", "prepend_scheme": "always"},
                 "model": {"type": "Unigram", "unk_id": 0,
                           "vocab": [["<unk>", 0.0], ["</s>", 0.0], ["\\u2581hello", -1.0], ["\\u2581world", -1.5]]}}
                """.formatted(addedToken(0, "<unk>"), addedToken(1, "</s>")));
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"eos_token\": \"</s>\"}");
        try (Tokenizer tokenizer = Tokenizer.load(dir)) {
            assertEquals(OptionalInt.of(3), tokenizer.tokenId("\u2581world"));
            assertArrayEquals(new long[] {2, 3, 1}, tokenizer.encode("hello world</s>"));
            assertEquals(1, tokenizer.eosId());
            assertEquals(4, tokenizer.vocabSize());
        }
    }
}
