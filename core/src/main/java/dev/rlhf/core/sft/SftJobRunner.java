package dev.rlhf.core.sft;

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
 * SFT and pretraining jobs: checks that the model and datasets exist, that {@code seq_len} fits the model and, for
 * SFT, that the model has a chat template; refuses to continue a checkpoint trained under another config
 * ({@link ResumeGuard}); estimates the job's peak memory.
 */
public final class SftJobRunner extends ConfiguredJobRunner<SftConfig> {

    /** @param configDirs where named configs ({@code --configs tiny-llama}) are looked up, e.g. configs/sft */
    public SftJobRunner(List<Path> configDirs) {
        super(configDirs, SftConfig.class, SftConfig.loader());
    }

    @Override
    protected void check(SftConfig config) {
        InputChecks.model(config.model());
        InputChecks.seqLen(ModelInit.architecture(config.model()), config.model(), config.seqLen());
        InputChecks.datasets(config.data());
        JobAdapter.check(config.model(), TaskType.CAUSAL_LM);
        JobAdapter.checkCheckpointing(config.lora(), config.model(), config.train());
        if (config.mode() != SftMode.PRETRAIN) {
            InputChecks.chatTemplate(
                    ModelInit.tokenizerSource(config.model(), Optional.empty()),
                    config.model().path().isPresent() ? "model.path" : "model.tokenizer");
        }
    }

    @Override
    protected PreparedJob job(SftConfig config, ComposedConfig composed, RunDirectory run) {
        ResumeGuard.check(config.run().resume(), run, config);
        LlamaConfig architecture = ModelInit.architecture(config.model());
        int batch = config.train().batchSize();
        MemoryEstimate memory = JobAdapter.wanted(config.lora(), config.model())
                ? MemoryEstimate.adapterTraining(
                        architecture,
                        batch,
                        config.seqLen(),
                        true,
                        JobAdapter.settings(config.lora(), config.model()).parameterCount(architecture))
                : MemoryEstimate.training(architecture, batch, config.seqLen(), true);
        if (config.train().gradientCheckpointing()) {
            memory = memory.checkpointed(architecture, batch, config.seqLen());
        }
        return new SftJob(config, composed, run, memory);
    }
}
