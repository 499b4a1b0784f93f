package dev.rlhf.core.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A command-line override {@code key.path=value} ({@code --set train.lr=1e-4}). The value is parsed as YAML, so
 * {@code tags=[a, b]} is a list and {@code model.path=null} clears a key; a mapping value merges into the section. A
 * numeric path segment selects a list item ({@code data.datasets.0.size=30}). Every value set this way has the override
 * itself as its origin.
 */
record ConfigOverride(List<String> path, ConfigNode value, Origin origin) {

    /** Parses {@code key.path=value}. */
    static ConfigOverride parse(String assignment) {
        Origin origin = Origin.of("--set " + assignment);
        int eq = assignment.indexOf('=');
        String key = eq < 0 ? "" : assignment.substring(0, eq).strip();
        List<String> path = Arrays.asList(key.split("\\.", -1));
        if (eq < 0 || key.isEmpty() || path.stream().anyMatch(String::isEmpty)) {
            throw new ConfigException(origin + ": expected key.path=value");
        }
        ConfigNode value = YamlReader.parse(assignment.substring(eq + 1), origin.source(), false);
        return new ConfigOverride(path, value == null ? new ConfigScalar(null, "", origin) : value, origin);
    }

    /** {@code root} with this override applied. */
    ConfigNode applyTo(ConfigNode root) {
        return set(root, 0);
    }

    private ConfigNode set(ConfigNode node, int depth) {
        if (depth == path.size()) {
            return ConfigMerge.merge(node, value);
        }
        String segment = path.get(depth);
        if (node instanceof ConfigList list) {
            int index = index(segment, list.items().size(), depth);
            List<ConfigNode> items = new ArrayList<>(list.items());
            items.set(index, set(items.get(index), depth + 1));
            return new ConfigList(items, list.origin());
        }
        if (node != null && !(node instanceof ConfigMap) && !(node instanceof ConfigScalar s && s.isNull())) {
            throw new ConfigException(origin + ": '" + String.join(".", path.subList(0, depth)) + "' is a value (from "
                    + node.origin() + "), not a section");
        }
        Map<String, ConfigNode> entries = new LinkedHashMap<>(node instanceof ConfigMap map ? map.entries() : Map.of());
        entries.put(segment, set(entries.get(segment), depth + 1));
        return new ConfigMap(entries, node instanceof ConfigMap map ? map.origin() : origin);
    }

    private int index(String segment, int size, int depth) {
        String listKey = String.join(".", path.subList(0, depth));
        try {
            int index = Integer.parseInt(segment);
            if (index >= 0 && index < size) {
                return index;
            }
        } catch (NumberFormatException e) {
            throw new ConfigException(origin + ": '" + listKey + "' is a list; select an item by its index");
        }
        throw new ConfigException(
                origin + ": '" + listKey + "' has " + size + " items; index " + segment + " is out of range");
    }
}
