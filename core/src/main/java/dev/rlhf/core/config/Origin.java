package dev.rlhf.core.config;

/**
 * Where a config value was written: a file and line, a request body, or a {@code --set} override.
 *
 * @param source a file name ({@code hh-sft.yaml}), {@code request body}, or the override as typed ({@code --set
 *     train.lr=1e-4})
 * @param line 1-based line within the source, or 0 when it has none
 */
public record Origin(String source, int line) {
    /** An origin without a line, such as a {@code --set} override. */
    public static Origin of(String source) {
        return new Origin(source, 0);
    }

    /** {@code source:line}, or just the source when there is no line. */
    @Override
    public String toString() {
        return line > 0 ? source + ":" + line : source;
    }
}
