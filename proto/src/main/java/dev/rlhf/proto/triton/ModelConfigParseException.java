package dev.rlhf.proto.triton;

/**
 * A {@code config.pbtxt} that is not a valid Triton model configuration. The message reads {@code
 * "<source>:<line>:<column>: <problem>"}, like a compiler's, so editors and terminals can jump to it.
 */
public class ModelConfigParseException extends RuntimeException {
    private final String source;
    private final int line;
    private final int column;

    public ModelConfigParseException(String source, int line, int column, String problem, Throwable cause) {
        super(source + ":" + line + ":" + column + ": " + problem, cause);
        this.source = source;
        this.line = line;
        this.column = column;
    }

    /** The file (or other name) the text came from. */
    public String source() {
        return source;
    }

    /** 1-based line of the problem. */
    public int line() {
        return line;
    }

    /** 1-based column of the problem. */
    public int column() {
        return column;
    }
}
