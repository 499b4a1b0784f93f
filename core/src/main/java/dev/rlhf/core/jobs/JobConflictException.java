package dev.rlhf.core.jobs;

/** A request the job is in the wrong state for, e.g. resuming a running job; the REST API answers it with 409. */
public class JobConflictException extends RuntimeException {
    public JobConflictException(String message) {
        super(message);
    }
}
