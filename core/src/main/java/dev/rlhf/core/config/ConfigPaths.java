package dev.rlhf.core.config;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every file or directory a bound config names, found from its records' {@link Path} components (directly, in an
 * {@code Optional}, in a list, in nested sections) and a {@code resume} checkpoint, each keyed as written in YAML
 * ({@code data.datasets[0].path}). A new path-valued key is found without being listed anywhere.
 */
final class ConfigPaths {

    private ConfigPaths() {}

    static List<ConfigPath> of(Record config) {
        List<ConfigPath> out = new ArrayList<>();
        walk(config, "", out);
        return out;
    }

    private static void walk(Object value, String key, List<ConfigPath> out) {
        if (value instanceof Path path) {
            out.add(new ConfigPath(key, path));
        } else if (value instanceof Optional<?> optional) {
            optional.ifPresent(v -> walk(v, key, out));
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                walk(list.get(i), key + "[" + i + "]", out);
            }
        } else if (value instanceof ResumePolicy resume) {
            if (resume instanceof ResumePolicy.FromPath from) {
                out.add(new ConfigPath(key, from.checkpoint()));
            }
        } else if (value instanceof Record record) {
            for (RecordComponent component : record.getClass().getRecordComponents()) {
                String child = component.isAnnotationPresent(Unwrapped.class)
                        ? key
                        : KeyNames.join(key, KeyNames.snake(component.getName()));
                walk(read(component, record), child, out);
            }
        }
    }

    private static Object read(RecordComponent component, Record record) {
        try {
            var accessor = component.getAccessor();
            accessor.setAccessible(true);
            return accessor.invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + component + " of a config", e);
        }
    }
}
