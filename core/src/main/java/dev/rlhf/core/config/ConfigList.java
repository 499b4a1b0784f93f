package dev.rlhf.core.config;

import java.util.List;

/** A list of values. */
public record ConfigList(List<ConfigNode> items, Origin origin) implements ConfigNode {
    public ConfigList {
        items = List.copyOf(items);
    }

    @Override
    public String describe() {
        return "a list";
    }
}
