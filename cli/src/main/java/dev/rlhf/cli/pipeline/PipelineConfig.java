package dev.rlhf.cli.pipeline;

import dev.rlhf.core.config.ConfigLoader;
import dev.rlhf.core.config.ConfigValueException;
import dev.rlhf.core.config.DatasetConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The whole chain in one run: tokenizer, pretraining, SFT, reward model, PPO (export and serving included), and the
 * evaluation of the PPO policy against the SFT policy ({@code eval}: an eval job, {@code ./rlhf eval}). Every key's default is in {@code configs/pipeline/defaults.yaml} on the classpath.
 *
 * @param baseModel a Hugging Face model directory to fine-tune instead of pretraining one (skips tokenizer and
 *     pretraining)
 * @param policy an already fine-tuned model directory (skips tokenizer, pretraining and SFT)
 * @param rewardModel an already trained reward model directory (skips RM training)
 * @param outputDir where the pipeline's run directory ({@code <output_dir>/pipeline/<exp>}) goes
 */
public record PipelineConfig(
        TokenizerStage tokenizer,
        Stage pretrain,
        Stage sft,
        Stage rm,
        Stage ppo,
        Stage eval,
        SampleSettings samples,
        AccuracySettings accuracy,
        Optional<Path> baseModel,
        Optional<Path> policy,
        Optional<Path> rewardModel,
        Path outputDir,
        String exp,
        long seed) {

    /** The classpath resource holding every default. */
    public static final String DEFAULTS = "configs/pipeline/defaults.yaml";

    public PipelineConfig {
        ConfigValueException.require(!exp.isBlank(), "exp", "must not be empty");
        ConfigValueException.require(
                baseModel.isEmpty() || policy.isEmpty(),
                "base_model",
                "give base_model (fine-tune it) or policy (already fine-tuned), not both");
    }

    public static ConfigLoader loader() {
        return new ConfigLoader(DEFAULTS);
    }

    /**
     * @param path an existing tokenizer (directory or tokenizer.json) instead of training one
     * @param corpus the files a new tokenizer learns from: plain text, or chat / HH data (their message texts)
     * @param vocabSize tokens in a new tokenizer, special tokens included
     */
    public record TokenizerStage(Optional<Path> path, List<DatasetConfig> corpus, int vocabSize) {
        public TokenizerStage {
            ConfigValueException.require(
                    path.isPresent() || !corpus.isEmpty(), "corpus", "give tokenizer.path or a corpus to train on");
            ConfigValueException.positive("vocab_size", vocabSize);
        }
    }

    /**
     * One training stage: a job of that kind composed from named configs and {@code key=value} overrides, exactly as
     * {@code ./rlhf sft --configs ... --set ...}; the pipeline adds its own overrides (paths between stages, output
     * directory, exp) after these.
     */
    public record Stage(List<String> configs, List<String> set) {}

    /**
     * Held-out exact-match accuracy of the SFT policy and of the RL policy, greedy ({@code AnswerAccuracy}): the
     * measure of a task with verifiable answers.
     *
     * @param prompts JSONL prompts with an {@code answer} each (the held-out split); empty: not measured
     * @param marker the text before the answer in a response
     * @param maxNewTokens tokens generated per answer
     */
    public record AccuracySettings(Optional<Path> prompts, String marker, int maxNewTokens) {
        public AccuracySettings {
            ConfigValueException.require(!marker.isBlank(), "marker", "must not be blank");
            ConfigValueException.positive("max_new_tokens", maxNewTokens);
        }
    }

    /**
     * @param prompts held-out prompts (rows of the PPO prompt file after the {@code prompts.size} PPO drew from) that
     *     the SFT and the PPO policy answer in the evaluation
     * @param maxNewTokens tokens sampled per answer
     */
    public record SampleSettings(int prompts, int maxNewTokens) {
        public SampleSettings {
            ConfigValueException.positive("prompts", prompts);
            ConfigValueException.positive("max_new_tokens", maxNewTokens);
        }
    }
}
