package dev.rlhf.core.checkpoint;

import java.nio.file.Path;

/**
 * A checkpoint file or directory that cannot be read or written.
 *
 * <p>The message always starts with the path concerned and names the tensor or header field at fault, so that it can
 * be shown to the user as is.
 */
public class CheckpointException extends RuntimeException {
    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }

    /** An error about {@code path}: the message reads {@code "<path>: <problem>"}. */
    public static CheckpointException at(Path path, String problem) {
        return new CheckpointException(path + ": " + problem);
    }

    /** An I/O failure on {@code path} while doing {@code action}, e.g. {@code "cannot read tensor 'w'"}. */
    public static CheckpointException io(Path path, String action, Exception cause) {
        return new CheckpointException(path + ": " + action + ": " + cause, cause);
    }
}
