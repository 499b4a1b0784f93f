package dev.rlhf.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rlhf.core.config.Schedule;
import org.junit.jupiter.api.Test;

class LrScheduleTest {

    @Test
    void warmupThenCosineToTheFloor() {
        LrSchedule s = new LrSchedule(Schedule.COSINE, 1.0, 4, 14, 0.1);
        assertEquals(0.25, s.lr(0), 1e-12);
        assertEquals(1.0, s.lr(3), 1e-12);
        assertEquals(1.0, s.lr(4), 1e-12); // progress 0
        assertEquals(0.1 + 0.9 * 0.5, s.lr(9), 1e-12); // progress 1/2: cos = 0
        assertEquals(0.1, s.lr(14), 1e-12);
        assertEquals(0.1, s.lr(100), 1e-12);
    }

    @Test
    void linearAndConstant() {
        LrSchedule linear = new LrSchedule(Schedule.LINEAR, 2.0, 0, 10, 0.0);
        assertEquals(2.0, linear.lr(0), 1e-12);
        assertEquals(1.0, linear.lr(5), 1e-12);
        assertEquals(0.0, linear.lr(10), 1e-12);
        LrSchedule constant = new LrSchedule(Schedule.CONSTANT, 3e-4, 2, 10, 0.0);
        assertEquals(1.5e-4, constant.lr(0), 1e-12);
        assertEquals(3e-4, constant.lr(9), 1e-12);
    }
}
