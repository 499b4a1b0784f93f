package dev.rlhf.core.eval;

import static dev.rlhf.core.eval.Outcome.INVALID;
import static dev.rlhf.core.eval.Outcome.LOSS;
import static dev.rlhf.core.eval.Outcome.TIE;
import static dev.rlhf.core.eval.Outcome.WIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Agreement and Cohen's kappa against values worked out by hand. */
class JudgeAgreementTest {

    @Test
    void kappaDiscountsChanceAgreement() {
        // 4 of 6 alike: p_o = 2/3; both judges W 3, L 2, T 1: p_e = (9 + 4 + 1) / 36 = 14/36;
        // kappa = (24/36 - 14/36) / (22/36) = 5/11
        JudgeAgreement a =
                JudgeAgreement.of(List.of(WIN, WIN, LOSS, TIE, WIN, LOSS), List.of(WIN, LOSS, LOSS, TIE, WIN, WIN));
        assertEquals(6, a.prompts());
        assertEquals(2.0 / 3, a.agreement(), 1e-12);
        assertEquals(5.0 / 11, a.kappa(), 1e-12);
    }

    @Test
    void invalidVerdictsAreLeftOutAndPerfectAgreementIsOne() {
        // the INVALID prompt drops out: W, L, T against W, L, T: p_o = 1, p_e = 3 * (1/3)² = 1/3, kappa = 1
        JudgeAgreement a = JudgeAgreement.of(List.of(WIN, LOSS, INVALID, TIE), List.of(WIN, LOSS, WIN, TIE));
        assertEquals(3, a.prompts());
        assertEquals(1.0, a.agreement(), 1e-12);
        assertEquals(1.0, a.kappa(), 1e-12);
    }

    @Test
    void oppositeJudgesHaveNegativeKappaAndOneSameVerdictEverywhereHasNone() {
        // W, L against L, W: p_o = 0, p_e = 2 * (1/2 * 1/2) = 1/2, kappa = -1
        assertEquals(
                -1.0, JudgeAgreement.of(List.of(WIN, LOSS), List.of(LOSS, WIN)).kappa(), 1e-12);
        JudgeAgreement constant = JudgeAgreement.of(List.of(WIN, WIN), List.of(WIN, WIN));
        assertEquals(1.0, constant.agreement(), 1e-12);
        assertTrue(Double.isNaN(constant.kappa()), "p_e = 1: kappa undefined");
        assertTrue(
                Double.isNaN(JudgeAgreement.of(List.of(INVALID), List.of(WIN)).agreement()));
    }
}
