package dev.rlhf.core.sft;

import dev.rlhf.core.config.ComposedConfig;
import dev.rlhf.core.config.ConfigException;
import dev.rlhf.core.config.DatasetConfig;
import dev.rlhf.core.config.SftConfig;
import dev.rlhf.core.jobs.JobRunner;
import dev.rlhf.core.jobs.JobSpec;
import dev.rlhf.core.jobs.PreparedJob;
import dev.rlhf.core.runs.RunDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * SFT and pretraining jobs: composes the config (shipped defaults, named configs from the config directories, the
 * posted document, {@code --set} overrides), checks that what it names exists, and resolves the run directory.
 */
public final class SftJobRunner implements JobRunner {

    private final List<Path> configDirs;

    /** @param configDirs where named configs ({@code --configs tiny-llama}) are looked up, e.g. configs/sft */
    public SftJobRunner(List<Path> configDirs) {
        this.configDirs = List.copyOf(configDirs);
    }

    @Override
    public PreparedJob prepare(JobSpec spec) {
        ComposedConfig composed = compose(spec);
        SftConfig config = composed.bind(SftConfig.class);
        checkInputs(config);
        RunDirectory run = RunDirectory.create(
                config.outputDir(), config.project(), config.exp(), spec.configNames(), config.debug());
        return new SftJob(config, composed, run);
    }

    /** The composed config alone (for {@code dataset stats}). */
    public ComposedConfig compose(JobSpec spec) {
        return SftConfig.loader()
                .compose(configDirs, spec.configNames(), spec.body(), "request body", spec.overrides());
    }

    private static void checkInputs(SftConfig config) {
        Optional<Path> path = config.model().path();
        if (path.isPresent()) {
            requireDirectory(path.get(), "model.path");
        } else {
            requireFile(
                    config.model()
                            .init()
                            .orElseThrow(() -> new ConfigException(
                                    "model: give either 'path' (a model directory) or 'init' and 'tokenizer'")),
                    "model.init");
            requireExists(
                    config.model()
                            .tokenizer()
                            .orElseThrow(() -> new ConfigException("model.tokenizer: required with model.init")),
                    "model.tokenizer");
        }
        if (config.data().datasets().isEmpty()) {
            throw new ConfigException("data.datasets: at least one dataset is needed");
        }
        for (int i = 0; i < config.data().datasets().size(); i++) {
            DatasetConfig dataset = config.data().datasets().get(i);
            requireFile(dataset.path(), "data.datasets[" + i + "].path");
        }
    }

    private static void requireDirectory(Path path, String key) {
        if (!Files.isDirectory(path)) {
            throw new ConfigException(key + ": no such directory: " + path);
        }
    }

    private static void requireFile(Path path, String key) {
        if (!Files.isRegularFile(path)) {
            throw new ConfigException(key + ": no such file: " + path);
        }
    }

    private static void requireExists(Path path, String key) {
        if (!Files.exists(path)) {
            throw new ConfigException(key + ": no such file or directory: " + path);
        }
    }
}
