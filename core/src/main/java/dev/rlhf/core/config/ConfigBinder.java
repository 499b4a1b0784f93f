package dev.rlhf.core.config;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Binds a config tree to records: one component per key (YAML {@code snake_case}, Java {@code camelCase}), a nested
 * record per section, {@code List<T>} for lists, {@code Optional<T>} for keys that may be absent or null, and scalars
 * as {@link ScalarBinder} converts them. Every other key must be present: defaults come from the shipped
 * {@code defaults.yaml}, never from Java.
 *
 * <p>All problems are collected and thrown together, each naming its source and dotted key: unknown keys (with a
 * suggestion), missing keys, ill-typed values, and what a record's constructor rejects ({@link ConfigValueException}).
 */
public final class ConfigBinder {
    private final List<String> problems = new ArrayList<>();
    private final List<String> allPaths;

    private ConfigBinder(Class<?> rootType) {
        this.allPaths = KeyNames.paths(rootType);
    }

    /** Binds {@code tree} to {@code type}, or throws a {@link ConfigException} listing every problem. */
    public static <T extends Record> T bind(ConfigMap tree, Class<T> type) {
        ConfigBinder binder = new ConfigBinder(type);
        Object value = binder.value(type, tree, "");
        if (!binder.problems.isEmpty()) {
            throw new ConfigException(binder.problems);
        }
        return type.cast(value);
    }

    private Object value(Type type, ConfigNode node, String key) {
        Class<?> raw = rawClass(type);
        if (raw == Optional.class) {
            if (node instanceof ConfigScalar scalar && scalar.isNull()) {
                return Optional.empty();
            }
            Object inner = value(typeArgument(type), node, key);
            return inner == null ? null : Optional.of(inner);
        }
        if (raw == List.class) {
            return list(typeArgument(type), node, key);
        }
        if (raw.isRecord()) {
            return record(raw, node, key);
        }
        if (!(node instanceof ConfigScalar scalar)) {
            return problem(node.origin(), key, "expected " + ScalarBinder.expected(raw) + ", got " + node.describe());
        }
        try {
            return ScalarBinder.convert(raw, scalar);
        } catch (ScalarBinder.Mismatch e) {
            return problem(node.origin(), key, e.getMessage());
        }
    }

    private Object list(Type elementType, ConfigNode node, String key) {
        if (!(node instanceof ConfigList list)) {
            return problem(node.origin(), key, "expected a list, got " + node.describe());
        }
        List<Object> items = new ArrayList<>();
        for (int i = 0; i < list.items().size(); i++) {
            items.add(value(elementType, list.items().get(i), KeyNames.join(key, Integer.toString(i))));
        }
        return items.contains(null) ? null : List.copyOf(items);
    }

    private Object record(Class<?> type, ConfigNode node, String key) {
        if (!(node instanceof ConfigMap map)) {
            return problem(node.origin(), key, "expected a section of keys, got " + node.describe());
        }
        List<String> known = ownKeys(type);
        int before = problems.size();
        map.entries().forEach((k, v) -> {
            if (!known.contains(k)) {
                unknown(KeyNames.join(key, k), v.origin(), key, known);
            }
        });
        Object value = components(type, map, key);
        return problems.size() > before ? null : value;
    }

    /** The keys a section of {@code type} may hold: its components' and those of its {@link Unwrapped} ones. */
    private static List<String> ownKeys(Class<?> type) {
        List<String> keys = new ArrayList<>();
        for (RecordComponent c : type.getRecordComponents()) {
            if (c.isAnnotationPresent(Unwrapped.class)) {
                keys.addAll(ownKeys(c.getType()));
            } else {
                keys.add(KeyNames.snake(c.getName()));
            }
        }
        return keys;
    }

    /** Builds {@code type} from {@code map}'s entries; unknown keys are the caller's to report. */
    private Object components(Class<?> type, ConfigMap map, String key) {
        RecordComponent[] components = type.getRecordComponents();
        int before = problems.size();
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            if (components[i].isAnnotationPresent(Unwrapped.class)) {
                args[i] = components(components[i].getType(), map, key); // same section, same keys
                continue;
            }
            String yamlKey = KeyNames.snake(components[i].getName());
            ConfigNode child = map.entries().get(yamlKey);
            if (child == null && components[i].getType() == Optional.class) {
                args[i] = Optional.empty();
            } else if (child == null) {
                problems.add("missing key '" + KeyNames.join(key, yamlKey) + "' (section from " + map.origin()
                        + "; the shipped defaults should hold every key)");
            } else {
                args[i] = value(components[i].getGenericType(), child, KeyNames.join(key, yamlKey));
            }
        }
        return problems.size() > before ? null : construct(type, components, args, map, key);
    }

    private Object construct(Class<?> type, RecordComponent[] components, Object[] args, ConfigMap map, String key) {
        try {
            Class<?>[] types =
                    Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
            Constructor<?> constructor = type.getDeclaredConstructor(types);
            return constructor.newInstance(args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof ConfigValueException bad) {
                ConfigNode at = map.entries().get(bad.key());
                return problem(at != null ? at.origin() : map.origin(), KeyNames.join(key, bad.key()), bad.reason());
            }
            if (e.getCause() instanceof IllegalArgumentException bad) {
                return problem(map.origin(), key, bad.getMessage());
            }
            throw new IllegalStateException(
                    "cannot build " + type.getSimpleName() + " for '" + key + "'", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(type.getName() + " cannot be built by the config binder", e);
        }
    }

    private void unknown(String path, Origin origin, String section, List<String> siblings) {
        Optional<String> hint = KeyNames.closest(KeyNames.leaf(path), siblings).map(k -> KeyNames.join(section, k));
        if (hint.isEmpty()) {
            hint = allPaths.stream()
                    .filter(p -> KeyNames.leaf(p).equals(KeyNames.leaf(path)))
                    .findFirst();
        }
        problems.add("unknown key '" + path + "' (from " + origin
                + hint.map(h -> "; did you mean '" + h + "'?").orElse("") + ")");
    }

    private Object problem(Origin origin, String key, String message) {
        problems.add(origin + ": " + (key.isEmpty() ? "" : key + ": ") + message);
        return null;
    }

    private static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
            return c;
        }
        throw new IllegalStateException("config type " + type + " is not supported");
    }

    private static Type typeArgument(Type type) {
        if (type instanceof ParameterizedType p) {
            return p.getActualTypeArguments()[0];
        }
        throw new IllegalStateException("config type " + type + " needs a type argument");
    }
}
