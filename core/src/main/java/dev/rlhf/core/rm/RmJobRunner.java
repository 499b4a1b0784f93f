package dev.rlhf.core.rm;

import dev.rlhf.core.config.ComposedConfig;
import dev.rlhf.core.config.InputChecks;
import dev.rlhf.core.jobs.JobRunner;
import dev.rlhf.core.jobs.JobSpec;
import dev.rlhf.core.jobs.PreparedJob;
import dev.rlhf.core.model.LlamaConfig;
import dev.rlhf.core.runs.RunDirectory;
import dev.rlhf.core.train.MemoryEstimate;
import dev.rlhf.core.train.ModelInit;
import dev.rlhf.core.train.ResumeGuard;
import java.nio.file.Path;
import java.util.List;

/**
 * Reward-model jobs: composes the config (shipped defaults, named configs from the config directories, the posted
 * document, {@code --set} overrides), checks that what it names exists, and resolves the run directory.
 */
public final class RmJobRunner implements JobRunner {

    private final List<Path> configDirs;

    /** @param configDirs where named configs ({@code --configs tiny-rm hh-rm}) are looked up, e.g. configs/rm */
    public RmJobRunner(List<Path> configDirs) {
        this.configDirs = List.copyOf(configDirs);
    }

    @Override
    public PreparedJob prepare(JobSpec spec) {
        ComposedConfig composed = compose(spec);
        RmConfig config = composed.bind(RmConfig.class);
        InputChecks.model(config.model());
        LlamaConfig architecture = ModelInit.architecture(config.model());
        InputChecks.seqLen(architecture, config.model(), config.seqLen());
        InputChecks.datasets(config.data());
        RunDirectory run = RunDirectory.create(
                config.outputDir(), config.project(), config.exp(), spec.configNames(), config.debug());
        ResumeGuard.check(config.resume(), run, config);
        MemoryEstimate memory =
                MemoryEstimate.training(architecture, 2 * config.train().batchSize(), config.seqLen(), false);
        return new RmJob(config, composed, run, memory);
    }

    /** The composed config alone. */
    public ComposedConfig compose(JobSpec spec) {
        return RmConfig.loader().compose(configDirs, spec.configNames(), spec.body(), "request body", spec.overrides());
    }
}
