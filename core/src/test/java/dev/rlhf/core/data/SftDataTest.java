package dev.rlhf.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.core.TestData;
import dev.rlhf.core.tokenizer.MaskedTokens;
import dev.rlhf.core.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SftDataTest {
    private Tokenizer tokenizer;

    @BeforeAll
    void train(@TempDir Path dir) {
        tokenizer = DataFilesForTests.tokenizer(dir);
    }

    @AfterAll
    void close() {
        tokenizer.close();
    }

    @Test
    void hhAndAlpacaMixWithStatsPerDatasetAndSplit(@TempDir Path dir) {
        Path alpaca = DataFilesForTests.write(
                dir,
                "alpaca.jsonl",
                "{\"instruction\": \"Name a colour.\", \"output\": \"Blue.\"}",
                "{\"instruction\": \"Name a fruit.\", \"output\": \"A pear.\"}",
                "broken",
                "{\"instruction\": \"Name a day.\", \"output\": \"Monday.\"}");
        List<DatasetSpec> specs = List.of(
                new DatasetSpec(
                        DataFilesForTests.hh(), DataFormat.HH, new Portion.Size(100), new Portion.Size(50), false),
                new DatasetSpec(alpaca, DataFormat.AUTO, Portion.all(), new Portion.Size(1), true));
        SftData data = SftData.load(specs, tokenizer, 128, false, 42);

        assertEquals(1803, data.examples().size());
        assertEquals(102, data.mixer().epoch(0).length);
        DatasetStats.Entry hh = data.stats().datasets().get(0);
        DatasetStats.Entry small = data.stats().datasets().get(1);
        assertEquals(
                List.of(1800, 1750, 50, 0),
                List.of(hh.rows(), hh.trainExamples(), hh.evalExamples(), hh.skippedLines()));
        assertEquals(
                List.of(3, 2, 1, 1),
                List.of(small.rows(), small.trainExamples(), small.evalExamples(), small.skippedLines()));
        assertTrue(hh.truncated() > 0, "some HH dialogues exceed 128 tokens");
        long tokens = data.examples().stream().mapToLong(MaskedTokens::length).sum();
        assertEquals(
                tokens,
                data.stats().total().trainTokens() + data.stats().total().evalTokens());

        String table = data.stats().table();
        assertTrue(table.lines().count() == 4, table);
        assertTrue(table.contains("hh-harmless-pairs.jsonl.gz") && table.contains("alpaca.jsonl"), table);
        assertTrue(table.lines().skip(3).findFirst().orElseThrow().startsWith("total"), table);
    }

    @Test
    void pretrainingCutsTextIntoBlocks() {
        List<DatasetSpec> specs = List.of(new DatasetSpec(
                TestData.tinyShakespeare(), DataFormat.TEXT, Portion.all(), new Portion.Fraction(0.1), false));
        SftData data = SftData.load(specs, tokenizer, 256, true, 1);
        DatasetStats.Entry entry = data.stats().datasets().get(0);
        assertEquals(1, entry.rows());
        assertTrue(entry.trainExamples() > 1000, data.stats().table());
        assertEquals(Math.round(0.1 * data.examples().size()), entry.evalExamples());
        PackedBatch batch =
                (PackedBatch) data.trainBatcher(4, true, 256, 1).batches(0).next();
        assertEquals(4, batch.rows());
    }
}
