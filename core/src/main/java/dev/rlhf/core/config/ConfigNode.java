package dev.rlhf.core.config;

/**
 * A value of a composed config before it is bound to records: a mapping, a list or a scalar, each remembering where
 * it was written so that errors can point there.
 *
 * <p>A child's origin is the line of its key (for mapping entries) or of the item itself (for list items).
 */
public sealed interface ConfigNode permits ConfigMap, ConfigList, ConfigScalar {
    Origin origin();

    /** How the value reads in an error message: a quoted string, a number, {@code null}, or its kind. */
    String describe();
}
