package dev.rlhf.core.rm;

import dev.rlhf.core.config.ComposedConfig;
import dev.rlhf.core.config.InputChecks;
import dev.rlhf.core.jobs.ConfiguredJobRunner;
import dev.rlhf.core.jobs.PreparedJob;
import dev.rlhf.core.lora.LoraModel.TaskType;
import dev.rlhf.core.model.LlamaConfig;
import dev.rlhf.core.runs.RunDirectory;
import dev.rlhf.core.train.JobAdapter;
import dev.rlhf.core.train.MemoryEstimate;
import dev.rlhf.core.train.ModelInit;
import dev.rlhf.core.train.ResumeGuard;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Reward-model jobs: checks that the backbone, its chat template and the datasets exist and that {@code seq_len} fits
 * the model; refuses to
 * continue a checkpoint trained under another config ({@link ResumeGuard}); estimates the job's peak memory (every
 * pair is two rows).
 */
public final class RmJobRunner extends ConfiguredJobRunner<RmConfig> {

    /** @param configDirs where named configs ({@code --configs tiny-rm hh-rm}) are looked up, e.g. configs/rm */
    public RmJobRunner(List<Path> configDirs) {
        super(configDirs, RmConfig.class, RmConfig.loader());
    }

    @Override
    protected void check(RmConfig config) {
        InputChecks.model(config.model());
        InputChecks.seqLen(ModelInit.architecture(config.model()), config.model(), config.seqLen());
        InputChecks.datasets(config.data());
        JobAdapter.check(config.model(), TaskType.SEQ_CLS);
        JobAdapter.checkCheckpointing(config.lora(), config.model(), config.train());
        // replies are laid out in the model's own chat template
        InputChecks.chatTemplate(
                ModelInit.tokenizerSource(config.model(), Optional.empty()),
                config.model().path().isPresent() ? "model.path" : "model.tokenizer");
    }

    @Override
    protected PreparedJob job(RmConfig config, ComposedConfig composed, RunDirectory run) {
        ResumeGuard.check(config.run().resume(), run, config);
        LlamaConfig architecture = ModelInit.architecture(config.model());
        int rows = 2 * config.train().batchSize();
        MemoryEstimate memory = JobAdapter.wanted(config.lora(), config.model())
                ? MemoryEstimate.adapterTraining(
                        architecture,
                        rows,
                        config.seqLen(),
                        false,
                        JobAdapter.settings(config.lora(), config.model()).parameterCount(architecture)
                                + architecture.hiddenSize()) // and the score head
                : MemoryEstimate.training(architecture, rows, config.seqLen(), false);
        if (config.train().gradientCheckpointing()) {
            memory = memory.checkpointed(architecture, rows, config.seqLen());
        }
        return new RmJob(config, composed, run, memory);
    }
}
