package dev.rlhf.core.reward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** exact_match: the last marker, normalised answers, numbers as numbers, unicode, empty and unmarked responses. */
class ExactMatchTest {

    private static final ExactMatch ANSWER = new ExactMatch(new ExactMatch.Settings("Answer:"));

    private static double score(RewardFunction reward, String response, String answer) {
        return reward.score(RewardInput.of("What is 40 + 2?", response, answer));
    }

    @Test
    void theAnswerAfterTheMarkerIsCompared() {
        assertEquals(1, score(ANSWER, "40 + 2 = 42\nAnswer: 42", "42"));
        assertEquals(0, score(ANSWER, "40 + 2 = 42\nAnswer: 43", "42"));
        assertEquals(1, score(ANSWER, "Answer: 42\nI hope this helps.", "42")); // the answer ends with its line
    }

    @Test
    void answersAreTrimmedAndLoseATrailingPeriod() {
        assertEquals(1, score(ANSWER, "Answer:   42.  ", "42"));
        assertEquals(1, score(ANSWER, "Answer:\tParis.", " Paris "));
        assertEquals(0, score(ANSWER, "Answer: paris", "Paris")); // exact: case matters
    }

    @Test
    void numbersCompareAsNumbers() {
        assertEquals(1, score(ANSWER, "Answer: 42.0", "42"));
        assertEquals(1, score(ANSWER, "Answer: +42", "42.00"));
        assertEquals(1, score(ANSWER, "Answer: -7", "-7.0"));
        assertEquals(0, score(ANSWER, "Answer: 42.01", "42"));
    }

    @Test
    void theLastMarkerCounts() {
        assertEquals(1, score(ANSWER, "Answer: 41\nwait, no.\nAnswer: 42", "42"));
        assertEquals(0, score(ANSWER, "Answer: 42\nwait, no.\nAnswer: 41", "42"));
        ExactMatch gsm8k = new ExactMatch(new ExactMatch.Settings("####"));
        assertEquals(1, score(gsm8k, "#### 10\n#### 42", "42"));
    }

    @Test
    void noMarkerOrNoTextAfterItScoresZero() {
        assertEquals(0, score(ANSWER, "42", "42"));
        assertEquals(0, score(ANSWER, "", "42"));
        assertEquals(0, score(ANSWER, "Answer:", "42"));
        assertEquals(0, score(ANSWER, "Answer: \n42", "42"));
        assertEquals(Optional.empty(), Answers.extract("", "Answer:"));
    }

    @Test
    void unicodeMarkersAndAnswers() {
        // a full-width colon marker; "café" composed in the response, decomposed (e + U+0301) in the reference
        ExactMatch chinese = new ExactMatch(new ExactMatch.Settings("答案："));
        assertEquals(1, score(chinese, "想一想……答案：café。\n", "cafe\u0301。"));
        assertEquals(1, score(ANSWER, "Answer: 🙂", "🙂"));
        // other scripts' digits are text, not numbers: "٤٢" is not 42
        assertEquals(0, score(ANSWER, "Answer: ٤٢", "42"));
        assertEquals(1, score(ANSWER, "Answer: ٤٢", "٤٢"));
    }

    @Test
    void aBlankMarkerNamesTheSetting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ExactMatch.Settings(" "));
        assertTrue(e.getMessage().startsWith("exact_match.marker"), e.getMessage());
    }

    @Test
    void aPromptWithoutAnswerIsAnError() {
        assertTrue(ANSWER.needsAnswer());
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> ANSWER.score(new RewardInput("What is 1 + 1?", "Answer: 2", Optional.empty())));
        assertTrue(e.getMessage().contains("'answer'"), e.getMessage());
    }
}
