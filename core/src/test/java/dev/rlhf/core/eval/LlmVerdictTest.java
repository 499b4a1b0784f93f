package dev.rlhf.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Both orders asked: a consistent judge's choice stands, a position-biased one (same letter both times) ties, an
 * unparseable answer in either order makes the prompt invalid; and the tally that comes of it.
 */
class LlmVerdictTest {

    @Test
    void consistentChoicesStandAndPositionBiasTies() {
        // in order A = baseline; swapped A = candidate
        assertEquals(Outcome.WIN, LlmVerdict.of("[[B]]", "[[A]]").outcome());
        assertEquals(Outcome.LOSS, LlmVerdict.of("[[A]]", "[[B]]").outcome());
        assertEquals(Outcome.TIE, LlmVerdict.of("[[C]]", "[[C]]").outcome());
        LlmVerdict firstPosition = LlmVerdict.of("[[A]]", "[[A]]");
        assertEquals(Outcome.TIE, firstPosition.outcome());
        assertTrue(firstPosition.inconsistent());
        assertEquals(Outcome.TIE, LlmVerdict.of("[[B]]", "[[C]]").outcome(), "a win one way, a tie the other");
        assertFalse(LlmVerdict.of("[[B]]", "[[A]]").inconsistent());
    }

    @Test
    void anUnparseableAnswerInEitherOrderIsInvalidAndCountedApart() {
        assertEquals(Outcome.INVALID, LlmVerdict.of("[[B]]", "no idea").outcome());
        assertEquals(Outcome.INVALID, LlmVerdict.of("", "[[A]]").outcome());
        assertFalse(LlmVerdict.of("", "[[A]]").inconsistent());

        WinRate tally = WinRate.of(List.of(
                LlmVerdict.of("[[B]]", "[[A]]").outcome(),
                LlmVerdict.of("[[B]]", "[[A]]").outcome(),
                LlmVerdict.of("[[A]]", "[[B]]").outcome(),
                LlmVerdict.of("[[A]]", "[[A]]").outcome(),
                LlmVerdict.of("junk", "[[A]]").outcome()));
        assertEquals(2, tally.wins());
        assertEquals(1, tally.ties());
        assertEquals(1, tally.losses());
        assertEquals(1, tally.invalid());
        assertEquals(0.5, tally.winRate(), 1e-12, "2 of the 4 valid verdicts");
        assertEquals(WilsonInterval.of95(2, 4), tally.winCi());
    }
}
