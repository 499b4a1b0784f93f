package dev.rlhf.core.config;

/**
 * Thrown by a config record's constructor when a value is out of range or conflicts with another. The binder adds
 * where the key was written and its full dotted path, so the record only names its own component key.
 */
public class ConfigValueException extends IllegalArgumentException {
    private final String key;
    private final String reason;

    /**
     * @param key the record component at fault, as written in YAML ({@code lr}, {@code min_lr_ratio})
     * @param reason what is wrong, e.g. {@code "must be > 0, got -1.0"}
     */
    public ConfigValueException(String key, String reason) {
        super(key + ": " + reason);
        this.key = key;
        this.reason = reason;
    }

    /** The YAML key of the component at fault, relative to its section. */
    public String key() {
        return key;
    }

    /** What is wrong with it. */
    public String reason() {
        return reason;
    }

    /** Throws unless {@code ok}. */
    public static void require(boolean ok, String key, String reason) {
        if (!ok) {
            throw new ConfigValueException(key, reason);
        }
    }

    /** Throws unless {@code value > 0}. */
    public static void positive(String key, double value) {
        require(value > 0, key, "must be > 0, got " + value);
    }

    /** Throws unless {@code value >= 0}. */
    public static void nonNegative(String key, double value) {
        require(value >= 0, key, "must be >= 0, got " + value);
    }

    /** Throws unless {@code low <= value < high}. */
    public static void inRange(String key, double value, double low, double high) {
        require(value >= low && value < high, key, "must be in [" + low + ", " + high + "), got " + value);
    }
}
