package dev.rlhf.core.config;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Writes a bound config back as YAML (the {@code config.yaml} of a run directory), in the form {@link ConfigBinder}
 * reads: snake_case keys, enums by lowercase name, paths and {@code parse}-able values as their strings, empty
 * optionals as {@code null}. Loading the output as a document over the same defaults gives an equal record.
 */
public final class ConfigWriter {
    private ConfigWriter() {}

    /** {@code config} as YAML, after {@code header} lines written as comments (none when empty). */
    public static String toYaml(Record config, List<String> header) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        options.setIndicatorIndent(2);
        options.setIndentWithIndicator(true);
        options.setSplitLines(false);
        StringBuilder out = new StringBuilder();
        header.forEach(line -> out.append("# ").append(line).append('\n'));
        return out.append(new Yaml(options).dump(toTree(config))).toString();
    }

    /** {@code config} as nested maps, lists and scalars. */
    public static Map<String, Object> toTree(Record config) {
        Map<String, Object> tree = new LinkedHashMap<>();
        for (RecordComponent component : config.getClass().getRecordComponents()) {
            if (component.isAnnotationPresent(Unwrapped.class)) {
                tree.putAll(toTree((Record) read(config, component))); // its keys sit in this section
            } else {
                tree.put(KeyNames.snake(component.getName()), plain(read(config, component)));
            }
        }
        return tree;
    }

    private static Object plain(Object value) {
        if (value instanceof Optional<?> optional) {
            return optional.map(ConfigWriter::plain).orElse(null);
        }
        if (value != null && ScalarBinder.hasFactory(value.getClass())) {
            return scalarText(value.toString());
        }
        if (value instanceof Record record) {
            return toTree(record);
        }
        if (value instanceof List<?> list) {
            return list.stream().map(ConfigWriter::plain).toList();
        }
        if (value instanceof Enum<?> constant) {
            return constant.name().toLowerCase(Locale.ROOT);
        }
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
            return value;
        }
        return value instanceof Path path ? path.toString() : value.toString();
    }

    /** A value written through its {@code parse} form, as a YAML number when it reads as one (no quotes). */
    private static Object scalarText(String text) {
        if (text.matches("-?[0-9]{1,9}")) {
            return Integer.parseInt(text);
        }
        if (text.matches("-?[0-9]+\\.[0-9]+([eE][-+]?[0-9]+)?")) {
            return Double.parseDouble(text);
        }
        return text;
    }

    private static Object read(Record config, RecordComponent component) {
        try {
            return component.getAccessor().invoke(config);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + component.getName() + " of " + config, e);
        }
    }
}
