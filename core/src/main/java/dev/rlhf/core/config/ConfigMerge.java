package dev.rlhf.core.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Deep merge of two config trees, the later one winning: mappings merge key by key, recursively; anything else (a
 * scalar, a list, a null) replaces what was there. Lists are replaced, not concatenated, so a config that names its
 * datasets does not inherit those of an earlier one.
 */
final class ConfigMerge {
    private ConfigMerge() {}

    /** {@code over} composed on top of {@code base}; either may be null (absent). */
    static ConfigNode merge(ConfigNode base, ConfigNode over) {
        if (over == null) {
            return base;
        }
        if (base instanceof ConfigMap baseMap && over instanceof ConfigMap overMap) {
            Map<String, ConfigNode> entries = new LinkedHashMap<>(baseMap.entries());
            overMap.entries().forEach((key, value) -> entries.put(key, merge(entries.get(key), value)));
            return new ConfigMap(entries, overMap.origin());
        }
        return over;
    }
}
