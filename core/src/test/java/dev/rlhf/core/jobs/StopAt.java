package dev.rlhf.core.jobs;

import java.util.Map;

/** A job context that asks to stop once {@code stopAt} steps were reported (a kill between steps, for resume tests). */
public record StopAt(long stopAt, long[] last) implements JobContext {

    public StopAt(long stopAt) {
        this(stopAt, new long[1]);
    }

    @Override
    public void report(long step, long totalSteps, Map<String, Object> metrics) {
        last[0] = step;
    }

    @Override
    public boolean cancelled() {
        return last[0] >= stopAt;
    }
}
