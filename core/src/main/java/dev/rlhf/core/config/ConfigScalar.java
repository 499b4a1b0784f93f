package dev.rlhf.core.config;

/**
 * A single value.
 *
 * @param value what the YAML resolver made of it: a {@code String}, {@code Boolean}, {@code Integer}, {@code Long},
 *     {@code BigInteger}, {@code Double}, or null
 * @param text the scalar as written (without quotes), used where a string is expected so that {@code exp: 007} stays
 *     {@code "007"}
 */
public record ConfigScalar(Object value, String text, Origin origin) implements ConfigNode {
    /** True for {@code null}, {@code ~} or an empty value. */
    public boolean isNull() {
        return value == null;
    }

    @Override
    public String describe() {
        if (value == null) {
            return "null";
        }
        return value instanceof String s ? '"' + s + '"' : value.toString();
    }
}
