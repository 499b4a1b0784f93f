package dev.rlhf.core.jobs;

import java.util.Map;

/** What a running job sees: how to report progress, and whether it has been asked to stop. */
public interface JobContext {

    /** Reports a logged step's metrics (loss, lr, tokens/s, ...); listeners and the job's series receive them. */
    void report(long step, long totalSteps, Map<String, Object> metrics);

    /** True once cancellation was requested; the job stops within one step and leaves its last checkpoint usable. */
    boolean cancelled();

    /** A context that listens to nothing and never cancels: a job run to its end by code (tests, a fixture). */
    static JobContext silent() {
        return new JobContext() {
            @Override
            public void report(long step, long totalSteps, Map<String, Object> metrics) {}

            @Override
            public boolean cancelled() {
                return false;
            }
        };
    }
}
