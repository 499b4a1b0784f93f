package dev.rlhf.core.config;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** How record components are named in YAML, and the "did you mean" hint for a mistyped key. */
public final class KeyNames {
    private KeyNames() {}

    /** {@code maxNewTokens} becomes {@code max_new_tokens}. */
    public static String snake(String camel) {
        StringBuilder out = new StringBuilder(camel.length() + 4);
        for (char c : camel.toCharArray()) {
            if (Character.isUpperCase(c)) {
                out.append('_').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** {@code a.b}, or just {@code b} at the top level. */
    static String join(String section, String key) {
        return section.isEmpty() ? key : section + "." + key;
    }

    /** The candidate nearest to {@code typed} by edit distance, if near enough to be a typo of it. */
    static Optional<String> closest(String typed, Collection<String> candidates) {
        int limit = typed.length() <= 3 ? 1 : typed.length() <= 6 ? 2 : 3;
        return candidates.stream()
                .filter(c -> distance(typed, c) <= limit)
                .min(Comparator.comparingInt((String c) -> distance(typed, c)));
    }

    /**
     * Every dotted key path of a config record type, sections included, skipping what lies inside lists; used to
     * suggest {@code train.lr} for a stray top-level {@code lr}.
     */
    static List<String> paths(Class<?> recordType) {
        List<String> paths = new ArrayList<>();
        collect(recordType, "", paths);
        return paths;
    }

    private static void collect(Class<?> recordType, String section, List<String> paths) {
        for (RecordComponent component : recordType.getRecordComponents()) {
            if (component.isAnnotationPresent(Unwrapped.class)) {
                collect(component.getType(), section, paths);
                continue;
            }
            String path = join(section, snake(component.getName()));
            paths.add(path);
            Type type = component.getGenericType();
            if (type instanceof ParameterizedType p && p.getRawType() == Optional.class) {
                type = p.getActualTypeArguments()[0];
            }
            if (type instanceof Class<?> c && c.isRecord()) {
                collect(c, path, paths);
            }
        }
    }

    /** The last segment of a dotted path. */
    static String leaf(String path) {
        return path.substring(path.lastIndexOf('.') + 1);
    }

    /** Levenshtein distance, counting a swap of two neighbours as one edit. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
