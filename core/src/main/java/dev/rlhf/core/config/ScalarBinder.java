package dev.rlhf.core.config;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Converts one scalar to a component type: strings, integers, numbers, booleans, paths, enums (by lowercase constant
 * name), and any type with a {@code public static T parse(String)} factory (such as {@link ResumePolicy}).
 *
 * <p>Numbers are not read from strings: {@code lr: "fast"} and {@code lr: "1e-4"} are both errors, so that a quoted
 * value never passes for a number by accident. Any scalar passes for a string, taken as written.
 */
final class ScalarBinder {
    private ScalarBinder() {}

    /** The scalar does not fit the type; the message reads {@code expected ..., got ...}. */
    static final class Mismatch extends Exception {
        Mismatch(String message) {
            super(message, null, false, false);
        }
    }

    static Object convert(Class<?> type, ConfigScalar scalar) throws Mismatch {
        Object value = scalar.value();
        if (value != null) {
            Object converted = convertNonNull(type, scalar);
            if (converted != null) {
                return converted;
            }
        }
        throw new Mismatch("expected " + expected(type) + ", got " + scalar.describe());
    }

    private static Object convertNonNull(Class<?> type, ConfigScalar scalar) throws Mismatch {
        Object value = scalar.value();
        if (type == String.class) {
            return scalar.text();
        }
        if (type == int.class || type == Integer.class) {
            return integral(value, Integer.MIN_VALUE, Integer.MAX_VALUE) ? ((Number) value).intValue() : null;
        }
        if (type == long.class || type == Long.class) {
            return integral(value, Long.MIN_VALUE, Long.MAX_VALUE) ? ((Number) value).longValue() : null;
        }
        if (type == double.class || type == Double.class) {
            return value instanceof Number n ? n.doubleValue() : null;
        }
        if (type == boolean.class || type == Boolean.class) {
            return value instanceof Boolean b ? b : null;
        }
        if (type == Path.class) {
            return value instanceof String s ? Path.of(s) : null;
        }
        if (type.isEnum()) {
            return Arrays.stream(type.getEnumConstants())
                    .filter(c -> ((Enum<?>) c).name().equalsIgnoreCase(scalar.text()))
                    .findFirst()
                    .orElse(null);
        }
        return parse(type, scalar.text());
    }

    private static boolean integral(Object value, long min, long max) {
        if (value instanceof Integer || value instanceof Long) {
            long v = ((Number) value).longValue();
            return v >= min && v <= max;
        }
        return value instanceof BigInteger b && b.bitLength() < 64 && b.longValue() >= min && b.longValue() <= max;
    }

    private static Object parse(Class<?> type, String text) throws Mismatch {
        Method factory = factory(type);
        try {
            return factory.invoke(null, text);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException bad) {
                throw new Mismatch(bad.getMessage());
            }
            throw new IllegalStateException(type.getName() + ".parse failed on '" + text + "'", e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(type.getName() + ".parse is not accessible", e);
        }
    }

    /**
     * True when {@code type}, or an interface it implements, has a {@code static parse(String)} factory: such values
     * are written as their {@code toString()} and read back through it.
     */
    static boolean hasFactory(Class<?> type) {
        if (declaredFactory(type) != null) {
            return true;
        }
        for (Class<?> implemented : type.getInterfaces()) {
            if (declaredFactory(implemented) != null) {
                return true;
            }
        }
        return false;
    }

    private static Method declaredFactory(Class<?> type) {
        try {
            Method method = type.getDeclaredMethod("parse", String.class);
            boolean ok = Modifier.isStatic(method.getModifiers()) && type.isAssignableFrom(method.getReturnType());
            return ok ? method : null;
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    private static Method factory(Class<?> type) {
        Method method = declaredFactory(type);
        if (method != null) {
            return method;
        }
        throw new IllegalStateException("config type " + type.getName()
                + " is not supported: give it a public static parse(String), or use a record, enum or scalar");
    }

    /** What a value of {@code type} looks like, for error messages. */
    static String expected(Class<?> type) {
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "an integer";
        }
        if (type == double.class || type == Double.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == Path.class) {
            return "a path";
        }
        if (type.isEnum()) {
            return "one of "
                    + Arrays.stream(type.getEnumConstants())
                            .map(c -> ((Enum<?>) c).name().toLowerCase(Locale.ROOT))
                            .collect(Collectors.joining(", "));
        }
        return type == String.class ? "a string" : "a " + type.getSimpleName();
    }
}
