package dev.rlhf.core.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.core.TestData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Trains on tinyshakespeare, writes the Hugging Face files, and checks DJL's tokenizer against them. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShakespeareTokenizerTest {
    private static final int VOCAB = 2000;

    private static final List<String> AWKWARD_TEXTS = List.of(
            "First Citizen:\nBefore we proceed any further, hear me speak.\n\nAll:\nSpeak, speak.\n",
            "ROMEO:\nBut, soft! what light through yonder window breaks?",
            "Héllo wörld — naïve café, Ångström, e\u0301 (combining), ß",
            "日本語のテキスト, 中文, 한국어 and emoji 😀👍🏽🇫🇷",
            "\ttabs\t\tand   multiple    spaces  \n\n\nnew\r\nlines\n",
            "   leading and trailing   ",
            "\u0000\u0001\u001f\u007f\u00a0\u00ad\u2028\u3000 control and odd space",
            "no-break \u00a0space and\u00a0!! ideographic \u3000\u3000\u3000wide",
            "x",
            "");

    private Path dir;
    private String shakespeare;
    private BpeModel model;
    private Tokenizer tokenizer;

    @BeforeAll
    void train(@TempDir Path tempDir) throws IOException {
        dir = tempDir;
        Path corpus = TestData.tinyShakespeare();
        shakespeare = Files.readString(corpus);
        model = BpeTrainer.train(List.of(corpus), VOCAB);
        TokenizerJsonWriter.write(model, dir);
        tokenizer = Tokenizer.load(dir);
    }

    @AfterAll
    void close() {
        tokenizer.close();
    }

    @Test
    void trainsTheRequestedVocab() {
        assertEquals(VOCAB, model.vocabSize());
        assertEquals(VOCAB, tokenizer.vocabSize());
        assertEquals(VOCAB - 262, model.merges().size(), "no two merges formed the same token here");
    }

    @Test
    void awkwardTextRoundTrips() {
        for (String text : AWKWARD_TEXTS) {
            long[] ids = tokenizer.encode(text);
            assertEquals(text, tokenizer.decode(ids), "round trip of " + text);
        }
    }

    @Test
    void shakespeareRoundTripsAndCompresses() {
        String text = shakespeare.substring(0, 200_000);
        long[] ids = tokenizer.encode(text);
        assertEquals(text, tokenizer.decode(ids));
        double tokensPerByte = (double) ids.length / text.getBytes(StandardCharsets.UTF_8).length;
        assertTrue(tokensPerByte < 0.5, "tokens per byte " + tokensPerByte);
    }

    @Test
    void unseenBytesUseTheByteSymbols() {
        long[] ids = tokenizer.encode("😀");
        long[] bytes = {6 + 0xF0, 6 + 0x9F, 6 + 0x98, 6 + 0x80};
        assertArrayEquals(bytes, ids);
    }

    @Test
    void specialTokensInTextBecomeTheirIds() {
        String text = "Hello<|endoftext|>world<|user|>\nhi<|end|>\n<|pad|><|system|><|assistant|>";
        long[] ids = tokenizer.encode(text);
        for (String special : SpecialTokens.ALL) {
            long id = SpecialTokens.id(special);
            assertEquals(1, Arrays.stream(ids).filter(i -> i == id).count(), special + " in " + Arrays.toString(ids));
            assertEquals(OptionalInt.of((int) id), tokenizer.tokenId(special));
        }
        assertEquals(text, tokenizer.decode(ids));
        assertEquals("Helloworld\nhi\n", tokenizer.decode(ids, true));
        assertEquals(0, tokenizer.eosId());
        assertEquals(OptionalInt.of(1), tokenizer.padId());
    }

    @Test
    void djlEncodesLikeTheReferenceEncoder() {
        BpeReferenceEncoder reference = new BpeReferenceEncoder(model);
        for (String text : AWKWARD_TEXTS) {
            assertArrayEquals(reference.encode(text), tokenizer.encode(text), text);
        }
        assertArrayEquals(reference.encode("Hi<|end|>\n"), tokenizer.encode("Hi<|end|>\n"));
        // the whole corpus in one call also shows that nothing is truncated
        assertArrayEquals(reference.encode(shakespeare), tokenizer.encode(shakespeare));
    }

    @Test
    void tokenIdsUseTheVocabForm() {
        OptionalInt the = tokenizer.tokenId("Ġthe");
        assertTrue(the.isPresent());
        assertArrayEquals(new long[] {the.getAsInt()}, tokenizer.encode(" the"));
        assertEquals(OptionalInt.empty(), tokenizer.tokenId("no such token"));
    }

    @Test
    void writesTheHuggingFaceLayout() throws IOException {
        ObjectMapper json = new ObjectMapper();
        JsonNode root = json.readTree(dir.resolve("tokenizer.json").toFile());
        assertEquals("1.0", root.get("version").asText());
        assertTrue(root.get("truncation").isNull() && root.get("padding").isNull());
        assertEquals(6, root.get("added_tokens").size());
        assertEquals("<|end|>", root.get("added_tokens").get(5).get("content").asText());
        assertEquals(5, root.get("added_tokens").get(5).get("id").asInt());
        assertEquals("ByteLevel", root.get("pre_tokenizer").get("type").asText());
        assertTrue(!root.get("pre_tokenizer").get("add_prefix_space").asBoolean());
        assertEquals("BPE", root.get("model").get("type").asText());
        assertEquals(VOCAB, root.get("model").get("vocab").size());
        assertEquals(
                model.mergeString(model.merges().get(0)),
                root.get("model").get("merges").get(0).asText());
        JsonNode config = json.readTree(dir.resolve("tokenizer_config.json").toFile());
        assertEquals("<|endoftext|>", config.get("eos_token").asText());
        assertEquals("<|endoftext|>", config.get("bos_token").asText());
        assertEquals("<|pad|>", config.get("pad_token").asText());
        assertEquals(ChatTemplate.JINJA, config.get("chat_template").asText());
        assertTrue(config.get("model_max_length").asInt() > 0);
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "no temporary files are left behind");
        }
    }
}
