package dev.rlhf.core.eval;

import dev.rlhf.core.config.ConfigEndpoint;
import dev.rlhf.core.config.ConfigLoader;
import dev.rlhf.core.config.ConfigValueException;
import dev.rlhf.core.config.EndpointValuedConfig;
import dev.rlhf.core.config.JobConfig;
import dev.rlhf.core.config.RunHeader;
import dev.rlhf.core.config.Unwrapped;
import dev.rlhf.core.data.DataFormat;
import dev.rlhf.core.data.Portion;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An evaluation job: the same held-out prompts answered by two or more models with one seed, then judged pairwise,
 * every model against the first (the baseline). Every key's default is in {@code configs/eval/defaults.yaml} on the
 * classpath, with its comment.
 *
 * @param prompts where the prompts come from and which rows are held out
 * @param models the models compared; the first is the baseline
 * @param reference the name of a {@code models} entry whose log-probs every answer's KL is measured against; absent: no
 *     KL
 * @param generation sampling settings, the same for every model
 * @param judges which judges decide each comparison
 */
public record EvalConfig(
        PromptSet prompts,
        List<ModelEntry> models,
        Optional<String> reference,
        Generation generation,
        Judges judges,
        @Unwrapped RunHeader run)
        implements JobConfig, EndpointValuedConfig {

    /** The classpath resource holding every default. */
    public static final String DEFAULTS = "configs/eval/defaults.yaml";

    public EvalConfig {
        ConfigValueException.require(models.size() >= 2, "models", "give two or more models, got " + models.size());
        Set<String> names = new HashSet<>();
        for (ModelEntry m : models) {
            ConfigValueException.require(names.add(m.name()), "models", "the name '" + m.name() + "' is used twice");
        }
        reference.ifPresent(r -> ConfigValueException.require(
                names.contains(r), "reference", "'" + r + "' is not the name of a models entry " + names));
        ConfigValueException.require(
                judges.rewardModel().isPresent() || judges.llm().baseUrl().isPresent(),
                "judges",
                "give judges.reward_model, judges.llm.base_url or both");
    }

    public static ConfigLoader loader() {
        return new ConfigLoader(DEFAULTS);
    }

    /** The LLM judge's {@code host:port}, which a service confines to its endpoint allow-list. */
    @Override
    public List<ConfigEndpoint> endpoints() {
        return judges.llm()
                .baseUrl()
                .map(url -> {
                    java.net.URI uri = java.net.URI.create(url);
                    int port = uri.getPort() >= 0 ? uri.getPort() : url.startsWith("https") ? 443 : 80;
                    return List.of(new ConfigEndpoint("judges.llm.base_url", uri.getHost() + ":" + port));
                })
                .orElse(List.of());
    }

    /** The model called {@code name}. */
    public ModelEntry model(String name) {
        return models.stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
    }

    /**
     * @param path a data file in any supported format: {@code prompt} lines, chat, alpaca, hh, pairs or ranked; a row's
     *     prompt is its first user turn
     * @param format how to read it ({@code auto}: from the first line's fields)
     * @param skip rows left out before the split: those a PPO job with {@code prompts.size: skip} trained on
     * @param split the held-out rows: a fraction or a number of rows, drawn as a training job with {@code data.split}
     *     and {@code train.seed = seed} holds out its first dataset's rows; 1.0: every row (a file of test prompts)
     * @param seed the seed of that split
     * @param count prompts evaluated, the first of the held-out rows; 0: all of them
     * @param maxPromptTokens longer prompts keep their last tokens
     */
    public record PromptSet(
            Path path, DataFormat format, int skip, Portion split, long seed, int count, int maxPromptTokens) {
        public PromptSet {
            ConfigValueException.require(skip >= 0, "skip", "must be >= 0, got " + skip);
            ConfigValueException.require(count >= 0, "count", "must be >= 0, got " + count);
            ConfigValueException.positive("max_prompt_tokens", maxPromptTokens);
        }
    }

    /** @param name how reports call it; @param path a model directory (HF layout, tokenizer included) */
    public record ModelEntry(String name, Path path) {
        public ModelEntry {
            ConfigValueException.require(!name.isBlank(), "name", "must not be empty");
        }
    }

    /**
     * @param maxNewTokens tokens sampled per answer
     * @param temperature sampling temperature; 0: greedy
     * @param topK keep the k most likely tokens; 0: all
     * @param topP nucleus mass; 1.0: off
     * @param seed the sampling seed, the same for every model
     * @param batchSize prompts generated together
     */
    public record Generation(int maxNewTokens, double temperature, int topK, double topP, long seed, int batchSize) {
        public Generation {
            ConfigValueException.positive("max_new_tokens", maxNewTokens);
            ConfigValueException.positive("batch_size", batchSize);
        }
    }

    /** @param rewardModel a reward-model directory that scores every answer; absent: no reward-model judge */
    public record Judges(Optional<Path> rewardModel, LlmJudgeConfig llm) {}
}
