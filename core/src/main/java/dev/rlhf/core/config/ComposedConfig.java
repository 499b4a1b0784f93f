package dev.rlhf.core.config;

import java.util.List;

/**
 * A config composed from the shipped defaults, named config files or a request body, and overrides, not yet bound.
 *
 * @param tree the merged values, each with its origin
 * @param names the config names as given, in order ({@code defaults tiny-llama hh-sft}); empty for a request body
 * @param overrides the {@code --set} assignments, in order
 */
public record ComposedConfig(ConfigMap tree, List<String> names, List<String> overrides) {
    public ComposedConfig {
        names = List.copyOf(names);
        overrides = List.copyOf(overrides);
    }

    /** Binds the tree to a config record such as {@link SftConfig}, reporting every problem at once. */
    public <T extends Record> T bind(Class<T> type) {
        return ConfigBinder.bind(tree, type);
    }
}
