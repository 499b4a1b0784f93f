package dev.rlhf.core.config;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A job config that names files or directories (models, data, tokenizers, the output directory, checkpoints). Each
 * config record lists its own path-valued keys here, so that whoever adds a path key adds it where the key is
 * declared, and a service that accepts configs from the network can confine every one of them.
 */
public interface PathValuedConfig {

    /** Every path the config sets, keyed as written in YAML; keys left unset (null or absent) are left out. */
    List<ConfigPath> paths();

    /**
     * The paths of a trainer's config (SFT, reward model): the model and its tokenizer, the datasets,
     * {@code output_dir} and a {@code resume} checkpoint.
     */
    static List<ConfigPath> trainerPaths(ModelConfig model, DataConfig data, Path outputDir, ResumePolicy resume) {
        return Stream.of(model.paths(), data.paths(), List.of(new ConfigPath("output_dir", outputDir)), resume.paths())
                .flatMap(List::stream)
                .toList();
    }
}
