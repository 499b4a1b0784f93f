package dev.rlhf.core.reward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** regex_format, length_penalty and their weighted combination with exact_match, by hand. */
class RuleRewardsTest {

    private static RewardInput response(String text) {
        return RewardInput.of("What is 40 + 2?", text, "42");
    }

    @Test
    void regexFormatFindsOrMatchesTheWholeResponse() {
        RegexFormat anywhere = new RegexFormat(new RegexFormat.Settings("Answer: -?\\d+", false));
        RegexFormat whole = new RegexFormat(new RegexFormat.Settings("(?s).*\\nAnswer: -?\\d+", true));
        assertEquals(1, anywhere.score(response("so\nAnswer: 42 done")));
        assertEquals(0, whole.score(response("so\nAnswer: 42 done")));
        assertEquals(1, whole.score(response("so\nAnswer: 42")));
        assertEquals(0, anywhere.score(response("")));
        assertEquals(1, new RegexFormat(new RegexFormat.Settings("^$", true)).score(response("")));
        assertEquals(1, new RegexFormat(new RegexFormat.Settings("答案：\\p{L}+", false)).score(response("答案：é")));
    }

    @Test
    void aBadPatternNamesTheSetting() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new RegexFormat(new RegexFormat.Settings("Answer: (\\d+", false)));
        assertTrue(e.getMessage().startsWith("regex_format.pattern: not a valid regular expression"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new RegexFormat.Settings("", false));
    }

    @Test
    void lengthPenaltyPerCharacterBeyondTheTarget() {
        LengthPenalty penalty =
                LengthPenalty.characters(new LengthPenalty.Settings(LengthPenalty.Unit.CHARACTERS, 5, 0.5));
        assertEquals(0, penalty.score(response("")));
        assertEquals(0, penalty.score(response("12345")));
        assertEquals(-1.5, penalty.score(response("12345678")), 1e-12); // 3 beyond the target
        // code points, not UTF-16 units: five emoji are five characters, six are one beyond
        assertEquals(0, penalty.score(response("🙂🙂🙂🙂🙂")));
        assertEquals(-0.5, penalty.score(response("🙂🙂🙂🙂🙂é")), 1e-12);
    }

    @Test
    void lengthPenaltyPerToken() {
        // a stand-in tokenizer: one token per word
        LengthPenalty penalty = LengthPenalty.tokens(
                new LengthPenalty.Settings(LengthPenalty.Unit.TOKENS, 2, 0.1),
                text -> text.isBlank() ? 0 : text.strip().split("\\s+").length);
        assertEquals(0, penalty.score(response("two words")));
        assertEquals(-0.3, penalty.score(response("now there are five words")), 1e-12);
    }

    @Test
    void lengthPenaltySettingsAreChecked() {
        IllegalArgumentException target = assertThrows(
                IllegalArgumentException.class,
                () -> new LengthPenalty.Settings(LengthPenalty.Unit.CHARACTERS, -1, 0.1));
        assertTrue(target.getMessage().startsWith("length_penalty.target_length"), target.getMessage());
        IllegalArgumentException penalty = assertThrows(
                IllegalArgumentException.class,
                () -> new LengthPenalty.Settings(LengthPenalty.Unit.CHARACTERS, 1, Double.NaN));
        assertTrue(penalty.getMessage().startsWith("length_penalty.penalty"), penalty.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> LengthPenalty.characters(new LengthPenalty.Settings(LengthPenalty.Unit.TOKENS, 1, 0.1)));
    }

    @Test
    void weightedSumOfSources() {
        WeightedReward reward = new WeightedReward(List.of(
                new WeightedReward.Source(new ExactMatch(new ExactMatch.Settings("Answer:")), 1.0),
                new WeightedReward.Source(new RegexFormat(new RegexFormat.Settings("Answer: \\d+$", false)), 0.2),
                new WeightedReward.Source(
                        LengthPenalty.characters(new LengthPenalty.Settings(LengthPenalty.Unit.CHARACTERS, 10, 0.01)),
                        1.0)));
        // "Answer: 42" (10 characters): 1 * 1 + 0.2 * 1 + 0 = 1.2
        assertEquals(1.2, reward.score(response("Answer: 42")), 1e-12);
        // "x = 41\nAnswer: 41" (17 characters): 0 + 0.2 * 1 - 0.07 = 0.13
        assertEquals(0.13, reward.score(response("x = 41\nAnswer: 41")), 1e-12);
        assertEquals(
                Map.of("exact_match", 0.0, "regex_format", 1.0, "length_penalty", -0.07),
                Map.copyOf(reward.components(response("x = 41\nAnswer: 41"))));
        assertTrue(reward.needsAnswer());
        assertEquals(0, reward.score(response("")));
    }

    @Test
    void weightsMustBeFiniteAndSourcesPresent() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new WeightedReward(List.of(
                        new WeightedReward.Source(new RegexFormat(new RegexFormat.Settings("x", false)), 1),
                        new WeightedReward.Source(new RegexFormat(new RegexFormat.Settings("y", false)), Double.NaN))));
        assertTrue(e.getMessage().startsWith("rewards[1].weight"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new WeightedReward(List.of()));
        assertFalse(new WeightedReward(
                        List.of(new WeightedReward.Source(new RegexFormat(new RegexFormat.Settings("x", false)), -1)))
                .needsAnswer());
    }
}
