package dev.rlhf.core.data;

import static dev.rlhf.core.data.DataFilesForTests.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.core.tokenizer.ChatLayout;
import dev.rlhf.core.tokenizer.ChatMessage;
import dev.rlhf.core.tokenizer.TestTokenizers;
import dev.rlhf.core.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Reward-model data: ranked rows, margins, detection, the token layout and truncation, batches. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RmDataTest {
    private static final String PAIR = "{\"prompt\": \"2+2?\", \"chosen\": \"4\", \"rejected\": \"5\", \"m\": 1.5}";
    private static final String RANKED = "{\"prompt\": \"Name a colour.\", \"replies\": [\"Blue.\", \"Blu\", \"7\"]}";
    private static final String HH = "{\"chosen\": \"\\n\\nHuman: Hi\\n\\nAssistant: Hello.\\n\\nHuman: Bye\\n\\n"
            + "Assistant: Bye!\", \"rejected\": \"\\n\\nHuman: Hi\\n\\nAssistant: Hello.\\n\\nHuman: Bye\\n\\n"
            + "Assistant: Go.\"}";

    @TempDir
    Path dir;

    private Tokenizer tokenizer;

    @BeforeAll
    void train(@TempDir Path tokenizerDir) {
        tokenizer = DataFilesForTests.tokenizer(tokenizerDir);
    }

    @AfterAll
    void close() {
        tokenizer.close();
    }

    @Test
    void rankedRowsKeepTheirOrderAndPairsBecomeTwoReplies() {
        Path ranked = write(dir, "ranked.jsonl", RANKED);
        RankedReplies row = DatasetReader.rankings(ranked, DataFormat.AUTO, false, Optional.empty())
                .rows()
                .get(0);
        assertEquals(
                new RankedReplies(List.of(ChatMessage.user("Name a colour.")), List.of("Blue.", "Blu", "7"), 0), row);

        Path pairs = write(dir, "pairs.jsonl", PAIR);
        DatasetFile<RankedReplies> file = DatasetReader.rankings(pairs, DataFormat.AUTO, false, Optional.of("m"));
        assertEquals("pairs", file.format());
        assertEquals(List.of("4", "5"), file.rows().get(0).replies());
        assertEquals(1.5, file.rows().get(0).margin());

        Path hh = write(dir, "hh.jsonl", HH);
        RankedReplies dialogue = DatasetReader.rankings(hh, DataFormat.AUTO, false, Optional.empty())
                .rows()
                .get(0);
        assertEquals(
                List.of(ChatMessage.user("Hi"), ChatMessage.assistant("Hello."), ChatMessage.user("Bye")),
                dialogue.prompt(),
                "the shared dialogue is the prompt");
        assertEquals(List.of("Bye!", "Go."), dialogue.replies());
    }

    @Test
    void badRowsNameFileLineAndField() {
        Path oneReply = write(dir, "one.jsonl", RANKED, "{\"prompt\": \"p\", \"replies\": [\"only\"]}");
        DataException e = assertThrows(
                DataException.class,
                () -> DatasetReader.rankings(oneReply, DataFormat.RANKED, false, Optional.empty()));
        assertTrue(e.getMessage().contains("one.jsonl:2: field 'replies'"), e.getMessage());

        Path noMargin =
                write(dir, "nomargin.jsonl", PAIR, "{\"prompt\": \"p\", \"chosen\": \"a\", \"rejected\": \"b\"}");
        e = assertThrows(
                DataException.class, () -> DatasetReader.rankings(noMargin, DataFormat.PAIRS, false, Optional.of("m")));
        assertTrue(e.getMessage().contains("nomargin.jsonl:2: missing field 'm'"), e.getMessage());

        Path plain = write(dir, "plain.jsonl", "{\"prompt\": \"p\", \"chosen\": \"a\", \"rejected\": \"b\"}", PAIR);
        assertEquals(
                List.of(0.0, 0.0),
                DatasetReader.rankings(plain, DataFormat.PAIRS, false, Optional.of("m")).rows().stream()
                        .map(RankedReplies::margin)
                        .toList(),
                "a file without the column on its first row has no margins, so it mixes with one that has");

        Path chat = write(dir, "chat.jsonl", "{\"messages\": []}");
        e = assertThrows(
                DataException.class, () -> DatasetReader.rankings(chat, DataFormat.CHAT, false, Optional.empty()));
        assertTrue(e.getMessage().contains("does not give preferences"), e.getMessage());
    }

    @Test
    void everyReplyIsLaidOutAsTheGatewayScoresItAndLongOnesKeepTheirEnd() {
        Path ranked = write(dir, "ranked.jsonl", RANKED);
        Path pairs = write(dir, "pairs.jsonl", PAIR.replace("\"4\"", "\"" + "four ".repeat(40) + "\""));
        RmData data = RmData.load(List.of(spec(ranked), spec(pairs)), tokenizer, 40, 1, Optional.empty());
        RankedExample first = data.examples().get(0);
        assertEquals(3, first.replies());
        assertEquals(3, first.pairs());
        assertArrayEquals(
                ChatLayout.of(tokenizer).reply("Name a colour.", "Blu"),
                first.completions().get(1));
        assertEquals(
                "<|user|>\nName a colour.<|end|>\n<|assistant|>\nBlu<|end|>\n",
                tokenizer.decode(first.completions().get(1)));

        long[] full = ChatLayout.of(tokenizer).reply("2+2?", "four ".repeat(40));
        long[] cut = data.examples().get(1).completions().get(0);
        assertEquals(40, cut.length);
        assertArrayEquals(Arrays.copyOfRange(full, full.length - 40, full.length), cut, "the end survives");
        assertEquals(1, data.stats().total().truncated());
        assertEquals(2, data.stats().total().trainExamples(), "examples, not sequences");
    }

    @Test
    void aQwen3TemplatedRewardModelTrainsOnItsTemplatesLayout() {
        Path ranked = write(dir, "ranked.jsonl", RANKED);
        try (Tokenizer qwen3 = Tokenizer.load(TestTokenizers.qwen3())) {
            RmData data = RmData.load(List.of(spec(ranked)), qwen3, 64, 1, Optional.empty());
            String expected = "<|im_start|>user\nName a colour.<|im_end|>\n"
                    + "<|im_start|>assistant\n<think>\n\n</think>\n\nBlu<|im_end|>\n";
            long[] blu = data.examples().get(0).completions().get(1);
            assertEquals(expected, qwen3.decode(blu));
            assertArrayEquals(qwen3.encode(expected), blu);
        }
    }

    @Test
    void batchesHoldEveryReplyOfAnExampleAdjacentBestFirst() {
        Path ranked = write(dir, "ranked.jsonl", RANKED);
        Path pairs = write(dir, "pairs.jsonl", PAIR);
        RmData data = RmData.load(List.of(spec(ranked), spec(pairs)), tokenizer, 64, 1, Optional.of("m"));
        PairBatch batch = data.trainBatcher(2, 0).pad(data.examples());
        assertEquals(5, batch.ids().length);
        assertArrayEquals(new int[] {3, 2}, batch.groupSizes());
        assertEquals(4, batch.pairs());
        long[] second = data.examples().get(0).completions().get(1);
        assertArrayEquals(second, Arrays.copyOf(batch.ids()[1], second.length));
        assertEquals(second.length, Arrays.stream(batch.paddingMask()[1]).sum());
        assertEquals(data.examples().stream().mapToLong(RankedExample::tokens).sum(), batch.realTokens());
        assertArrayEquals(new float[] {0f, 1.5f}, batch.margins(), "the ranked file has no margin column");
    }

    private static DatasetSpec spec(Path file) {
        return new DatasetSpec(file, DataFormat.AUTO, Portion.all(), new Portion.Size(0), false);
    }
}
