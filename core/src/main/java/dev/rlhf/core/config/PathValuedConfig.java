package dev.rlhf.core.config;

import java.util.List;

/**
 * A job config that names files or directories (models, data, tokenizers, the output directory, checkpoints), so that
 * a service that accepts configs from the network can confine every one of them. The keys are found from the
 * record's {@code Path} components ({@link ConfigPaths}): whoever adds a path key has nothing else to update.
 */
public interface PathValuedConfig {

    /** Every path the config sets, keyed as written in YAML; keys left unset (null or absent) are left out. */
    default List<ConfigPath> paths() {
        return ConfigPaths.of((Record) this);
    }
}
