package dev.rlhf.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.core.data.DataFormat;
import dev.rlhf.core.data.Portion;
import dev.rlhf.core.data.TrainEvalSplit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Held-out prompts from every kind of data file: a row's first user turn, the rows a training job held out. */
class EvalPromptsTest {

    @TempDir
    Path dir;

    private Path file(String name, String... lines) throws Exception {
        return Files.write(dir.resolve(name), List.of(lines));
    }

    private static EvalConfig.PromptSet all(Path path, DataFormat format) {
        return new EvalConfig.PromptSet(path, format, 0, Portion.all(), 0, 0, 64);
    }

    @Test
    void everyFormatGivesItsRowsFirstUserTurn() throws Exception {
        Path lines = file("p.jsonl", "{\"prompt\": \"one\"}", "", "{\"prompt\": \"two\"}");
        Path pairs = file("pairs.jsonl", "{\"prompt\": \"one\", \"chosen\": \"x\", \"rejected\": \"y\"}");
        Path chat = file(
                "chat.jsonl",
                "{\"messages\": [{\"role\": \"system\", \"content\": \"s\"}, {\"role\": \"user\", \"content\": "
                        + "\"one\"}, {\"role\": \"assistant\", \"content\": \"a\"}]}");
        Path alpaca = file("alpaca.jsonl", "{\"instruction\": \"one\", \"output\": \"a\"}");
        Path hh = file(
                "hh.jsonl",
                "{\"chosen\": \"\\n\\nHuman: one\\n\\nAssistant: a\", \"rejected\": "
                        + "\"\\n\\nHuman: one\\n\\nAssistant: b\"}");
        assertEquals(List.of("one", "two"), EvalPrompts.of(all(lines, DataFormat.AUTO)));
        for (Path p : List.of(pairs, chat, alpaca, hh)) {
            assertEquals(List.of("one"), EvalPrompts.of(all(p, DataFormat.AUTO)), p.toString());
        }
        assertEquals(List.of("one"), EvalPrompts.of(all(hh, DataFormat.HH)));
        IllegalArgumentException text =
                assertThrows(IllegalArgumentException.class, () -> EvalPrompts.of(all(lines, DataFormat.TEXT)));
        assertTrue(text.getMessage().contains("p.jsonl"), text.getMessage());
    }

    @Test
    void theHeldOutRowsAreThoseATrainingJobWithTheSameSplitAndSeedHeldOut() throws Exception {
        String[] rows = new String[40];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = "{\"prompt\": \"p" + i + "\"}";
        }
        Path path = file("many.jsonl", rows);
        List<String> heldOut =
                EvalPrompts.of(new EvalConfig.PromptSet(path, DataFormat.AUTO, 10, new Portion.Size(6), 7, 4, 64));
        List<String> expected = new ArrayList<>();
        for (int i : TrainEvalSplit.ofJobDataset(30, new Portion.Size(6), 7, 0).eval()) {
            expected.add("p" + (10 + i));
        }
        assertEquals(expected.subList(0, 4), heldOut, "after the 10 skipped rows, the first 4 of 6 held out");
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> EvalPrompts.of(new EvalConfig.PromptSet(path, DataFormat.AUTO, 40, Portion.all(), 0, 0, 64)));
        assertTrue(e.getMessage().startsWith("prompts.skip"), e.getMessage());
    }
}
