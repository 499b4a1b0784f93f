package dev.rlhf.core.config;

import java.nio.file.Path;
import java.util.List;

/**
 * A supervised fine-tuning or pretraining job. Every key's default is in {@code configs/sft/defaults.yaml} on the
 * classpath; see there for units and comments.
 *
 * @param seqLen the longest example in tokens; longer ones are truncated (SFT) or cut into blocks (pretraining)
 * @param packing pack several examples into each row of {@code seq_len} tokens
 * @param outputDir where run directories are made: {@code <output_dir>/<project>/<exp>-<config names>}
 * @param project groups runs; becomes {@code <project>-debug} when {@code debug} is true
 * @param exp the experiment name, the first part of the run directory name
 * @param tags free labels, stored with the run's {@code config.yaml}
 * @param debug a quick run that lands in the {@code -debug} project
 */
public record SftConfig(
        ModelConfig model,
        DataConfig data,
        SftMode mode,
        int seqLen,
        boolean packing,
        TrainConfig train,
        Path outputDir,
        String project,
        String exp,
        List<String> tags,
        boolean debug,
        ResumePolicy resume,
        SamplesConfig samples)
        implements PathValuedConfig {
    /** The classpath resource holding every default. */
    public static final String DEFAULTS = "configs/sft/defaults.yaml";

    public SftConfig {
        ConfigValueException.require(seqLen >= 2, "seq_len", "must be >= 2, got " + seqLen);
        ConfigValueException.require(!project.isBlank(), "project", "must not be empty");
        ConfigValueException.require(!exp.isBlank(), "exp", "must not be empty");
    }

    /** The model and its tokenizer, the datasets, {@code output_dir} and a {@code resume} checkpoint. */
    @Override
    public List<ConfigPath> paths() {
        return PathValuedConfig.trainerPaths(model, data, outputDir, resume);
    }

    /** A loader that starts from the SFT defaults. */
    public static ConfigLoader loader() {
        return new ConfigLoader(DEFAULTS);
    }
}
