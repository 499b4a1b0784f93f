package dev.rlhf.core.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A file or directory that a job config names, with the dotted key that names it ({@code model.init},
 * {@code data.datasets[0].path}): what a service checks against its allowed roots before it reads or writes anything.
 *
 * @param key the key as written in YAML, list entries indexed
 * @param path the value as written, not yet resolved against the working directory
 */
public record ConfigPath(String key, Path path) {

    /** The key's path if it is present, else nothing. */
    static List<ConfigPath> of(String key, Optional<Path> path) {
        return path.map(p -> List.of(new ConfigPath(key, p))).orElse(List.of());
    }
}
