package dev.rlhf.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** What a judge's text is read as: robust to the ways judges phrase a verdict, never guessing a tie. */
class VerdictTest {

    @Test
    void theLastBracketedMarkCounts() {
        assertEquals(Verdict.A, Verdict.parse("Answer A is more helpful.\n[[A]]"));
        assertEquals(Verdict.B, Verdict.parse("Reply with [[A]], [[B]] or [[C]]. Having compared them: [[B]]"));
        assertEquals(Verdict.TIE, Verdict.parse("Both are fine. [[C]]"));
        assertEquals(Verdict.TIE, Verdict.parse("[[ tie ]]"));
        assertEquals(Verdict.B, Verdict.parse("verdict: [[ b ]] (answer B is shorter but correct)"));
    }

    @Test
    void aLastLineThatIsOnlyTheVerdictCounts() {
        assertEquals(Verdict.A, Verdict.parse("A"));
        assertEquals(Verdict.B, Verdict.parse("Both try.\nVerdict: B"));
        assertEquals(Verdict.A, Verdict.parse("**Final verdict: Assistant A**"));
        assertEquals(Verdict.TIE, Verdict.parse("Neither is better.\nTie."));
        assertEquals(Verdict.B, Verdict.parse("Winner - (B)"));
    }

    @Test
    void anythingElseIsInvalidNotATie() {
        assertEquals(Verdict.INVALID, Verdict.parse(""));
        assertEquals(Verdict.INVALID, Verdict.parse(null));
        assertEquals(Verdict.INVALID, Verdict.parse("I think the first one is better"));
        assertEquals(Verdict.INVALID, Verdict.parse("A is good and B is bad"));
        assertEquals(Verdict.INVALID, Verdict.parse("[[D]]"));
        assertEquals(Verdict.INVALID, Verdict.parse("the thee ant of a"));
    }
}
