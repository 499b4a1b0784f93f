package dev.rlhf.core.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A mapping of keys to values, in the order they were written. */
public record ConfigMap(Map<String, ConfigNode> entries, Origin origin) implements ConfigNode {
    public ConfigMap {
        entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    /** An empty mapping. */
    public static ConfigMap empty(Origin origin) {
        return new ConfigMap(Map.of(), origin);
    }

    /** The value at a dotted path such as {@code train.lr}, or null when absent. */
    public ConfigNode at(String dottedPath) {
        ConfigNode node = this;
        for (String key : dottedPath.split("\\.")) {
            if (!(node instanceof ConfigMap map)) {
                return null;
            }
            node = map.entries().get(key);
        }
        return node;
    }

    @Override
    public String describe() {
        return "a mapping";
    }
}
