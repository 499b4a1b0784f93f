package dev.rlhf.core.data;

/**
 * A data file that cannot be read as asked. The message starts with {@code file:line} when a line is at fault (a line
 * that is not JSON, lacks a field, has a field of the wrong type or an unknown chat role), else with the file.
 */
public class DataException extends IllegalArgumentException {
    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
