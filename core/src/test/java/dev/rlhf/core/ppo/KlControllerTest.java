package dev.rlhf.core.ppo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** One adaptive step by hand, the error clip, a fixed coefficient, and resuming from saved state. */
class KlControllerTest {

    @Test
    void adaptiveStepAboveTargetIsClippedToPlusTwentyPercent() {
        // kl 12 vs target 6: error 12/6 - 1 = 1, clipped to 0.2; mult = 1 + 0.2 * 256 / 10000
        AdaptiveKlController controller = new AdaptiveKlController(0.2, 6, 10000);
        controller.update(12, 256);
        assertEquals(0.2 * (1 + 0.2 * 256 / 10000), controller.coef(), 1e-12);
        assertEquals(0.201024, controller.coef(), 1e-12);
    }

    @Test
    void adaptiveStepBelowTargetShrinksProportionally() {
        // kl 5.7 vs target 6: error -0.05, inside the clip
        AdaptiveKlController controller = new AdaptiveKlController(0.2, 6, 10000);
        controller.update(5.7, 512);
        assertEquals(0.2 * (1 - 0.05 * 512 / 10000), controller.coef(), 1e-12);
        controller.update(0, 10000); // error -1, clipped to -0.2: one full horizon at once
        assertEquals(0.2 * (1 - 0.05 * 512 / 10000) * 0.8, controller.coef(), 1e-12);
    }

    @Test
    void fixedCoefficientIgnoresUpdates() {
        KlController controller = new FixedKlController(0.05);
        controller.update(100, 256);
        assertEquals(0.05, controller.coef());
    }

    @Test
    void stateRoundTripsThroughACheckpoint() {
        AdaptiveKlController controller = new AdaptiveKlController(0.1, 6, 10000);
        controller.update(9, 64);
        KlController.State saved = controller.state();
        AdaptiveKlController resumed = new AdaptiveKlController(saved.coef(), 6, 10000);
        assertEquals(controller.coef(), resumed.coef());
        controller.update(3, 64);
        resumed.update(3, 64);
        assertEquals(controller.coef(), resumed.coef());
        assertEquals(0.05, new FixedKlController(0.05).state().coef());
    }

    @Test
    void rejectsBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> new AdaptiveKlController(0.1, 0, 10000));
        assertThrows(IllegalArgumentException.class, () -> new AdaptiveKlController(0.1, 6, 0));
        assertThrows(IllegalArgumentException.class, () -> new AdaptiveKlController(-1, 6, 10000));
        assertThrows(IllegalArgumentException.class, () -> new FixedKlController(Double.NaN));
    }
}
