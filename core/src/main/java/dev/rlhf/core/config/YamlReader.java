package dev.rlhf.core.config;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads one YAML (or JSON) document into a {@link ConfigNode} tree whose values remember their line, taken from
 * SnakeYAML's node marks. Scalars are resolved by YAML's own rules ({@code 1e-4} is a number, {@code true} a boolean,
 * {@code ~} null), and their text is kept as written.
 */
final class YamlReader {
    private final String source;
    private final boolean withLines;
    private final ScalarConstructor scalars = new ScalarConstructor();

    private YamlReader(String source, boolean withLines) {
        this.source = source;
        this.withLines = withLines;
    }

    /** Reads a config file; origins name the file (without its directory) and the line. */
    static ConfigNode read(Path file) {
        try {
            return parse(
                    Files.readString(file, StandardCharsets.UTF_8),
                    file.getFileName().toString(),
                    true);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * Parses {@code text}; with {@code withLines} origins are {@code source:line}, else every origin is {@code source}
     * (for one-line {@code --set} values). An empty document is null.
     */
    static ConfigNode parse(String text, String source, boolean withLines) {
        Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            int line = withLines && mark != null ? mark.getLine() + 1 : 0;
            throw new ConfigException(new Origin(source, line) + ": invalid YAML: " + e.getProblem(), e);
        } catch (YAMLException e) {
            throw new ConfigException(source + ": invalid YAML: " + e.getMessage(), e);
        }
        return root == null ? null : new YamlReader(source, withLines).convert(root, root);
    }

    private ConfigNode convert(Node node, Node originNode) {
        Origin origin = origin(originNode);
        if (node instanceof MappingNode mapping) {
            return mapping(mapping, origin);
        }
        if (node instanceof SequenceNode sequence) {
            List<ConfigNode> items = new ArrayList<>();
            for (Node item : sequence.getValue()) {
                items.add(convert(item, item));
            }
            return new ConfigList(items, origin);
        }
        ScalarNode scalar = (ScalarNode) node;
        return new ConfigScalar(scalarValue(scalar), scalar.getValue(), origin);
    }

    private ConfigMap mapping(MappingNode mapping, Origin origin) {
        Map<String, ConfigNode> entries = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (!(keyNode instanceof ScalarNode keyScalar)) {
                throw new ConfigException(origin(keyNode) + ": a key must be a plain name");
            }
            String key = keyScalar.getValue();
            if (entries.containsKey(key)) {
                throw new ConfigException(origin(keyNode) + ": duplicate key '" + key + "'");
            }
            // The value's origin is its key's line: that is where a reader looks for a section or a value.
            entries.put(key, convert(tuple.getValueNode(), keyNode));
        }
        return new ConfigMap(entries, origin);
    }

    private Object scalarValue(ScalarNode node) {
        Tag tag = node.getTag();
        if (Tag.NULL.equals(tag)) {
            return null;
        }
        if (Tag.BOOL.equals(tag) || Tag.INT.equals(tag) || Tag.FLOAT.equals(tag)) {
            return scalars.construct(node);
        }
        return node.getValue();
    }

    private Origin origin(Node node) {
        return new Origin(source, withLines ? node.getStartMark().getLine() + 1 : 0);
    }

    /** Gives access to SnakeYAML's own construction of booleans, integers and floats (YAML 1.1 rules). */
    private static final class ScalarConstructor extends SafeConstructor {
        ScalarConstructor() {
            super(new LoaderOptions());
        }

        Object construct(ScalarNode node) {
            return constructObject(node);
        }
    }
}
