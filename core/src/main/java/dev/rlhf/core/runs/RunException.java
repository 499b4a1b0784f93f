package dev.rlhf.core.runs;

/** A run directory or one of its files that cannot be created, read or written; the message names the file. */
public class RunException extends RuntimeException {
    public RunException(String message) {
        super(message);
    }

    public RunException(String message, Throwable cause) {
        super(message, cause);
    }
}
