package dev.rlhf.core.tokenizer.jinja;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.AdvancedFilter;
import java.util.Iterator;
import java.util.Map;

/**
 * The {@code tojson} filter as transformers defines it for chat templates: Python's
 * {@code json.dumps(x, ensure_ascii=False, indent=indent)}, so {@code ", "} and {@code ": "} between items (only
 * {@code ","} at line ends when indented), keys in insertion order, non-ASCII characters as they are.
 */
final class PythonJson implements AdvancedFilter {

    @Override
    public String getName() {
        return "tojson";
    }

    @Override
    public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
        Object indent = kwargs.getOrDefault("indent", args.length > 0 ? args[0] : null);
        StringBuilder out = new StringBuilder();
        write(var, indent instanceof Number n ? n.intValue() : -1, 0, out);
        return out.toString();
    }

    /** Writes {@code value}; {@code indent} < 0 keeps everything on one line. */
    static void write(Object value, int indent, int depth, StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Boolean || value instanceof Long || value instanceof Integer) {
            out.append(value);
        } else if (value instanceof Number number) {
            out.append(pythonFloat(number.doubleValue()));
        } else if (value instanceof Map<?, ?> map) {
            container('{', '}', map.entrySet().iterator(), indent, depth, out);
        } else if (value instanceof Iterable<?> items) {
            container('[', ']', items.iterator(), indent, depth, out);
        } else if (value instanceof Object[] items) {
            container('[', ']', java.util.Arrays.asList(items).iterator(), indent, depth, out);
        } else {
            string(String.valueOf(value), out);
        }
    }

    private static void container(char open, char close, Iterator<?> items, int indent, int depth, StringBuilder out) {
        out.append(open);
        if (!items.hasNext()) {
            out.append(close);
            return;
        }
        boolean first = true;
        while (items.hasNext()) {
            Object item = items.next();
            if (!first) {
                out.append(indent < 0 ? ", " : ",");
            }
            first = false;
            newline(indent, depth + 1, out);
            if (item instanceof Map.Entry<?, ?> entry) {
                string(String.valueOf(entry.getKey()), out);
                out.append(": ");
                write(entry.getValue(), indent, depth + 1, out);
            } else {
                write(item, indent, depth + 1, out);
            }
        }
        newline(indent, depth, out);
        out.append(close);
    }

    private static void newline(int indent, int depth, StringBuilder out) {
        if (indent >= 0) {
            out.append('\n').append(" ".repeat(indent * depth));
        }
    }

    private static String pythonFloat(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        return d == Math.rint(d) && Math.abs(d) < 1e16 ? (long) d + ".0" : Double.toString(d);
    }

    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
