package dev.rlhf.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.core.tokenizer.ChatMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The arithmetic task: disjoint seeded splits, correct answers, files the readers accept, the shipped files. */
class ArithmeticTaskTest {

    private static final Path SHIPPED =
            Path.of("..").toAbsolutePath().normalize().resolve("data/arithmetic");

    @Test
    void splitsAreDisjointAndOfTheirSize() {
        ArithmeticTask.Split split = ArithmeticTask.generate(ArithmeticTask.SEED, 2000, 200);
        assertEquals(2000, split.train().size());
        assertEquals(200, split.heldOut().size());
        Set<ArithmeticTask.Problem> train = new HashSet<>(split.train());
        assertEquals(2000, train.size()); // no duplicates within a split
        assertTrue(split.heldOut().stream().noneMatch(train::contains), "a held-out problem is also in train");
    }

    @Test
    void problemsAreTwoDigitWithTheirAnswers() {
        assertEquals(90 * 90 + 90 * 91 / 2, ArithmeticTask.all().size());
        for (ArithmeticTask.Problem p : ArithmeticTask.generate(1, 500, 500).train()) {
            assertTrue(p.a() >= 10 && p.a() <= 99 && p.b() >= 10 && p.b() <= 99, p.toString());
            assertEquals(p.op() == '+' ? p.a() + p.b() : p.a() - p.b(), p.answer());
            assertTrue(p.answer() >= 0, p.toString());
        }
        ArithmeticTask.Problem p = new ArithmeticTask.Problem(37, '+', 45);
        assertEquals("What is 37 + 45?", p.prompt());
        assertEquals("37 + 45 = 82\nAnswer: 82", p.response());
        assertEquals(12, new ArithmeticTask.Problem(50, '-', 38).answer());
    }

    @Test
    void theSeedDecidesTheSplit() {
        assertEquals(ArithmeticTask.generate(7, 50, 10), ArithmeticTask.generate(7, 50, 10));
        assertNotEquals(ArithmeticTask.generate(7, 50, 10), ArithmeticTask.generate(8, 50, 10));
        assertThrows(IllegalArgumentException.class, () -> ArithmeticTask.generate(7, 12_000, 1_000));
    }

    @Test
    void filesAreReadableAsPromptsAndAsChat(@TempDir Path dir) throws IOException {
        ArithmeticTask.write(dir, 3, 20, 5, 10);
        List<String> train = Files.readAllLines(dir.resolve("train.jsonl"));
        assertEquals(20, train.size());
        assertEquals(5, Files.readAllLines(dir.resolve("heldout.jsonl")).size());
        JsonNode row = new ObjectMapper().readTree(train.get(0));
        ArithmeticTask.Problem first = ArithmeticTask.generate(3, 20, 5).train().get(0);
        assertEquals(first.prompt(), row.get("prompt").asText());
        assertEquals(Integer.toString(first.answer()), row.get("answer").asText());
        // the SFT file is the chat format DatasetReader detects
        DatasetFile<List<ChatMessage>> sft =
                DatasetReader.conversations(dir.resolve("sft.jsonl"), DataFormat.AUTO, false);
        assertEquals(10, sft.rows().size());
        assertEquals(ChatMessage.user(first.prompt()), sft.rows().get(0).get(0));
        String answer = sft.rows().get(0).get(1).content();
        assertTrue(answer.equals(first.response()) || answer.equals(first.equation()), answer);
    }

    @Test
    void aboutHalfTheSftAnswersEndWithTheAnswerLine(@TempDir Path dir) throws IOException {
        ArithmeticTask.write(dir, 3, 400, 5, 400);
        long marked = Files.readAllLines(dir.resolve("sft.jsonl")).stream()
                .filter(line -> line.contains(ArithmeticTask.MARKER))
                .count();
        assertTrue(marked > 160 && marked < 240, marked + " of 400 with the answer line");
    }

    @Test
    void shippedFilesAreTheGeneratorsOutput(@TempDir Path dir) throws IOException {
        ArithmeticTask.write(dir, ArithmeticTask.SEED, 2000, 200, 1000);
        for (String name : List.of("train.jsonl", "heldout.jsonl", "sft.jsonl")) {
            assertArrayEquals(
                    Files.readAllBytes(dir.resolve(name)),
                    Files.readAllBytes(SHIPPED.resolve(name)),
                    name + " differs from ArithmeticTask.write(dir, SEED, 2000, 200, 1000): regenerate it");
        }
    }
}
