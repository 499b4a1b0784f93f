package dev.rlhf.core.jobs;

import dev.rlhf.core.config.ComposedConfig;
import dev.rlhf.core.config.ConfigLoader;
import dev.rlhf.core.config.JobConfig;
import dev.rlhf.core.config.RunHeader;
import dev.rlhf.core.runs.RunDirectory;
import java.nio.file.Path;
import java.util.List;

/**
 * What every kind of job (SFT, reward model, PPO) does before it trains: compose the config (the kind's shipped
 * defaults, named configs from the config directories, the posted document, {@code --set} overrides), bind it, check
 * what it names before anything is written ({@link #check}), resolve the run directory, and build the job
 * ({@link #job}). A kind of job is a subclass that says what is its own.
 *
 * @param <C> the kind's config record
 */
public abstract class ConfiguredJobRunner<C extends Record & JobConfig> implements JobRunner {

    private final List<Path> configDirs;
    private final Class<C> configType;
    private final ConfigLoader loader;

    /**
     * @param configDirs where named configs ({@code --configs tiny}) are looked up, e.g. configs/sft
     * @param configType the record jobs of this kind bind to
     * @param loader where the kind's defaults come from
     */
    protected ConfiguredJobRunner(List<Path> configDirs, Class<C> configType, ConfigLoader loader) {
        this.configDirs = List.copyOf(configDirs);
        this.configType = configType;
        this.loader = loader;
    }

    /** Checks what the config names (models, data, endpoints) before a run directory exists; throws on bad input. */
    protected abstract void check(C config);

    /** The job, given its config and its run directory. */
    protected abstract PreparedJob job(C config, ComposedConfig composed, RunDirectory run);

    @Override
    public final PreparedJob prepare(JobSpec spec) {
        ComposedConfig composed = compose(spec);
        C config = composed.bind(configType);
        check(config);
        RunHeader header = config.run();
        RunDirectory run = RunDirectory.create(
                header.outputDir(), header.project(), header.exp(), spec.configNames(), header.debug());
        return job(config, composed, run);
    }

    /** The composed config alone (e.g. for {@code dataset stats}). */
    public final ComposedConfig compose(JobSpec spec) {
        return loader.compose(configDirs, spec.configNames(), spec.body(), "request body", spec.overrides());
    }
}
