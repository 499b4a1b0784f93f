package dev.rlhf.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The Wilson interval against values worked out by hand from its formula (z = 1.96). */
class WilsonIntervalTest {

    @Test
    void eightOfTen() {
        // p = 0.8, z²/n = 0.38416: centre = (0.8 + 0.19208) / 1.38416 = 0.71679,
        // half = 1.96 / 1.38416 * sqrt(0.016 + 0.009604) = 1.41602 * 0.16001 = 0.22658
        WilsonInterval ci = WilsonInterval.of95(8, 10);
        assertEquals(0.4902, ci.low(), 1e-4);
        assertEquals(0.9433, ci.high(), 1e-4);
    }

    @Test
    void noSuccessStillHasAnUpperBoundAndAllSuccessesALowerOne() {
        // p = 0: centre = half = 0.19208 / 1.38416 = 0.13877
        WilsonInterval none = WilsonInterval.of95(0, 10);
        assertEquals(0.0, none.low(), 1e-12);
        assertEquals(0.2775, none.high(), 1e-4);
        WilsonInterval all = WilsonInterval.of95(10, 10);
        assertEquals(1 - 0.2775, all.low(), 1e-4, "symmetric to 0 of 10");
        assertEquals(1.0, all.high(), 1e-12);
    }

    @Test
    void halfOfAHundredIsSymmetricAboutAHalf() {
        // p = 0.5, z²/n = 0.038416: half = 1.96 / 1.038416 * sqrt(0.0025 + 0.00009604) = 0.09617
        WilsonInterval ci = WilsonInterval.of95(50, 100);
        assertEquals(0.4038, ci.low(), 1e-4);
        assertEquals(0.5962, ci.high(), 1e-4);
    }

    @Test
    void noTrialsGiveNoIntervalAndImpossibleCountsAreRefused() {
        WilsonInterval ci = WilsonInterval.of95(0, 0);
        assertTrue(Double.isNaN(ci.low()) && Double.isNaN(ci.high()));
        assertThrows(IllegalArgumentException.class, () -> WilsonInterval.of95(3, 2));
    }
}
