package dev.rlhf.core.config;

import java.util.List;

/**
 * A config that cannot be read, composed or bound. Each problem names the source ({@code file:line} or the
 * {@code --set} override) and the dotted key, e.g. {@code hh-sft.yaml:12: train.lr: expected a number, got "fast"}.
 * The message lists all problems found, one per line.
 */
public class ConfigException extends IllegalArgumentException {
    private final List<String> problems;

    public ConfigException(String problem) {
        this(List.of(problem));
    }

    public ConfigException(String problem, Throwable cause) {
        super(problem, cause);
        this.problems = List.of(problem);
    }

    public ConfigException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    /** Every problem, one line each. */
    public List<String> problems() {
        return problems;
    }
}
