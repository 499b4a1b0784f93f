package dev.rlhf.core.sft;

import dev.rlhf.core.config.ComposedConfig;
import dev.rlhf.core.config.ConfigException;
import dev.rlhf.core.config.InputChecks;
import dev.rlhf.core.config.ModelConfig;
import dev.rlhf.core.config.SftConfig;
import dev.rlhf.core.config.SftMode;
import dev.rlhf.core.jobs.JobRunner;
import dev.rlhf.core.jobs.JobSpec;
import dev.rlhf.core.jobs.PreparedJob;
import dev.rlhf.core.model.LlamaConfig;
import dev.rlhf.core.runs.RunDirectory;
import dev.rlhf.core.tokenizer.ChatTemplate;
import dev.rlhf.core.tokenizer.Tokenizer;
import dev.rlhf.core.tokenizer.TokenizerException;
import dev.rlhf.core.train.MemoryEstimate;
import dev.rlhf.core.train.ModelInit;
import dev.rlhf.core.train.ResumeGuard;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * SFT and pretraining jobs: composes the config (shipped defaults, named configs from the config directories, the
 * posted document, {@code --set} overrides), checks that what it names exists (and, for SFT, that the model has a chat
 * template), and resolves the run directory.
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
        InputChecks.model(config.model());
        LlamaConfig architecture = ModelInit.architecture(config.model());
        InputChecks.seqLen(architecture, config.model(), config.seqLen());
        InputChecks.datasets(config.data());
        if (config.mode() != SftMode.PRETRAIN) {
            checkChatTemplate(config.model());
        }
        RunDirectory run = RunDirectory.create(
                config.outputDir(), config.project(), config.exp(), spec.configNames(), config.debug());
        ResumeGuard.check(config.resume(), run, config);
        MemoryEstimate memory =
                MemoryEstimate.training(architecture, config.train().batchSize(), config.seqLen(), true);
        return new SftJob(config, composed, run, memory);
    }

    /**
     * SFT renders conversations with the model's own chat template: one that is missing or fails on the probe
     * conversation is a bad request, before a run directory exists.
     */
    private static void checkChatTemplate(ModelConfig model) {
        String key = model.path().isPresent() ? "model.path" : "model.tokenizer";
        try (Tokenizer tokenizer = Tokenizer.load(ModelInit.tokenizerSource(model, Optional.empty()))) {
            ChatTemplate.of(tokenizer);
        } catch (TokenizerException e) {
            throw new ConfigException(key + ": " + e.getMessage(), e);
        }
    }

    /** The composed config alone (for {@code dataset stats}). */
    public ComposedConfig compose(JobSpec spec) {
        return SftConfig.loader()
                .compose(configDirs, spec.configNames(), spec.body(), "request body", spec.overrides());
    }
}
