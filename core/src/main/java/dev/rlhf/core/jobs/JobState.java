package dev.rlhf.core.jobs;

/**
 * Where a job is in its life: queued, running, or one of four ends. {@code INTERRUPTED}: the service stopped while the
 * job was queued or running; {@code POST /jobs/{id}/resume} runs it again from its run's last checkpoint.
 */
public enum JobState {
    QUEUED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED,
    INTERRUPTED;

    public boolean finished() {
        return this != QUEUED && this != RUNNING;
    }
}
