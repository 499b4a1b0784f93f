package dev.rlhf.core.runs;

/**
 * A job that would mix two runs in one run directory: its config differs from the one its checkpoint was trained
 * under, or the run it names already finished. The message names the run directory and the differing keys, and says
 * how to go on (a new {@code exp}, {@code resume: force} or {@code resume: never}). The REST API answers it with 409,
 * the command line with exit code 2.
 */
public class RunConflictException extends RuntimeException {
    public RunConflictException(String message) {
        super(message);
    }
}
