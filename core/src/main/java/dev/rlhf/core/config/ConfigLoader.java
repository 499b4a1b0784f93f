package dev.rlhf.core.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Composes a job config in order, later wins: the defaults shipped with the job kind (a classpath resource), then each
 * named config, then each {@code --set} override; or the defaults, then one YAML/JSON document (a REST request body),
 * then overrides.
 *
 * <p>A name such as {@code tiny-llama} is looked up as {@code tiny-llama.yaml}, {@code .yml} or {@code .json} in each
 * search directory in turn (a search entry that is a file matches by its name without extension); a name that ends
 * in one of those extensions or contains a {@code /} is a path. The name {@code defaults} refers to the shipped
 * defaults unless a search directory holds a {@code defaults.yaml}; either way the shipped ones always come first.
 */
public final class ConfigLoader {
    /** The name of the shipped defaults, and of the layer every composition starts from. */
    public static final String DEFAULTS = "defaults";

    private static final List<String> EXTENSIONS = List.of(".yaml", ".yml", ".json");

    private final String defaultsResource;

    /** @param defaultsResource classpath resource of the job kind's defaults, e.g. {@code configs/sft/defaults.yaml} */
    public ConfigLoader(String defaultsResource) {
        this.defaultsResource = defaultsResource;
    }

    /** Defaults, then the named configs from {@code configDirsOrFiles}, then the overrides. */
    public ComposedConfig load(List<Path> configDirsOrFiles, List<String> names, List<String> overrides) {
        return compose(configDirsOrFiles, names, "", "", overrides);
    }

    /**
     * Defaults, then the named configs, then one YAML or JSON document (named {@code source} in errors; blank for
     * none), then the overrides: what a job submitted over REST or on the command line composes.
     */
    public ComposedConfig compose(
            List<Path> configDirsOrFiles, List<String> names, String document, String source, List<String> overrides) {
        ConfigNode tree = namedLayers(configDirsOrFiles, names);
        if (!document.isBlank()) {
            tree = ConfigMerge.merge(tree, topLevel(YamlReader.parse(document, source, true), source));
        }
        return new ComposedConfig(applyOverrides(tree, overrides), names, overrides);
    }

    private ConfigNode namedLayers(List<Path> configDirsOrFiles, List<String> names) {
        ConfigNode tree = defaults();
        for (String name : names) {
            Optional<Path> file = resolve(configDirsOrFiles, name);
            if (file.isEmpty() && name.equals(DEFAULTS)) {
                continue; // the shipped defaults, already applied
            }
            ConfigNode layer = YamlReader.read(file.orElseThrow(() -> notFound(configDirsOrFiles, name)));
            tree = ConfigMerge.merge(
                    tree, topLevel(layer, file.get().getFileName().toString()));
        }
        return tree;
    }

    /** Defaults, then one YAML or JSON document (named {@code source} in errors), then the overrides. */
    public ComposedConfig loadDocument(String document, String source, List<String> overrides) {
        ConfigNode layer = topLevel(YamlReader.parse(document, source, true), source);
        return new ComposedConfig(
                applyOverrides(ConfigMerge.merge(defaults(), layer), overrides), List.of(), overrides);
    }

    /** The shipped defaults alone. */
    public ConfigMap defaults() {
        try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(defaultsResource)) {
            if (in == null) {
                throw new ConfigException("classpath resource " + defaultsResource + " is missing");
            }
            String name = defaultsResource.substring(defaultsResource.lastIndexOf('/') + 1);
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return topLevel(YamlReader.parse(text, name, true), name);
        } catch (IOException e) {
            throw new ConfigException("cannot read classpath resource " + defaultsResource + ": " + e, e);
        }
    }

    private static ConfigMap applyOverrides(ConfigNode tree, List<String> overrides) {
        for (String assignment : overrides) {
            tree = ConfigOverride.parse(assignment).applyTo(tree);
        }
        return (ConfigMap) tree;
    }

    private static ConfigMap topLevel(ConfigNode node, String source) {
        if (node == null) {
            return ConfigMap.empty(new Origin(source, 1));
        }
        if (!(node instanceof ConfigMap map)) {
            throw new ConfigException(
                    node.origin() + ": expected a mapping of keys at the top level, got " + node.describe());
        }
        return map;
    }

    /**
     * True when a config name is a file path ({@code my/run.yaml}, {@code run.json}) rather than a name looked up in
     * the search directories; such a name is read from wherever it points.
     */
    public static boolean namesAFile(String name) {
        return name.contains("/") || EXTENSIONS.stream().anyMatch(name::endsWith);
    }

    private static Optional<Path> resolve(List<Path> searchPaths, String name) {
        if (namesAFile(name)) {
            return Optional.of(Path.of(name)).filter(Files::isRegularFile);
        }
        for (Path entry : searchPaths) {
            if (Files.isRegularFile(entry) && stem(entry).equals(name)) {
                return Optional.of(entry);
            }
            for (String extension : EXTENSIONS) {
                Path candidate = entry.resolve(name + extension);
                if (Files.isDirectory(entry) && Files.isRegularFile(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    private static ConfigException notFound(List<Path> searchPaths, String name) {
        if (namesAFile(name)) {
            return new ConfigException("config '" + name + "': no such file");
        }
        List<String> known = available(searchPaths);
        String hint = KeyNames.closest(name, known)
                .map(k -> "; did you mean '" + k + "'?")
                .orElse("");
        return new ConfigException(
                "no config named '" + name + "' in " + searchPaths + " (found " + known + ")" + hint);
    }

    private static List<String> available(List<Path> searchPaths) {
        List<String> names = new ArrayList<>();
        for (Path entry : searchPaths) {
            if (Files.isRegularFile(entry)) {
                names.add(stem(entry));
            } else if (Files.isDirectory(entry)) {
                try (Stream<Path> files = Files.list(entry)) {
                    files.filter(f -> EXTENSIONS.stream().anyMatch(f.toString()::endsWith))
                            .map(ConfigLoader::stem)
                            .sorted()
                            .forEach(names::add);
                } catch (IOException e) {
                    // An unreadable directory only loses the hint; the error itself stands.
                }
            }
        }
        return names;
    }

    /** The file name without its extension. */
    static String stem(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
