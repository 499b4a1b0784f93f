package dev.rlhf.core.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rlhf.core.generation.GenerationDefaults;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.LlamaConfig;
import dev.rlhf.core.model.ModelConfigException;
import dev.rlhf.core.model.RewardModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model directory in the Hugging Face layout: {@code config.json}, {@code model.safetensors} (or shards listed in
 * {@code model.safetensors.index.json}), {@code tokenizer.json} and friends, {@code generation_config.json}.
 *
 * <p>What this class writes, transformers loads with {@code AutoModelForCausalLM.from_pretrained(dir)}, and real Llama
 * (3.x rope scaling included), Mistral, Qwen2 and Qwen3 directories from the Hub load here. Weights are written as
 * {@link SaveOptions} say: float32 or bfloat16, sharded above a size (5 GB unless told otherwise). Saving is atomic: the directory is built beside the target and
 * renamed into place, so a crash leaves the previous checkpoint, never half of a new one.
 */
public final class HfCheckpoint {

    public static final String CONFIG = "config.json";
    public static final String WEIGHTS = "model.safetensors";
    public static final String WEIGHTS_INDEX = "model.safetensors.index.json";
    public static final String GENERATION_CONFIG = GenerationDefaults.FILE;
    /** Tokenizer files copied along with a model when present. */
    public static final String[] TOKENIZER_FILES = {
        "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "chat_template.jinja"
    };

    private static final ObjectMapper JSON = new ObjectMapper();

    private HfCheckpoint() {}

    /** Builds the causal LM that {@code dir/config.json} describes and fills it with the weights in {@code dir}. */
    public static LanguageModel load(Path dir) {
        LlamaConfig config = readConfig(dir);
        if (config.isSequenceClassification()) {
            throw CheckpointException.at(
                    dir,
                    "holds a reward model (" + config.architecture() + "), not a causal LM; load it as a reward model");
        }
        LanguageModel model = LanguageModel.create(config, 0);
        try {
            new WeightLoader(dir, model.block().hfParameters(), config.tieWordEmbeddings()).load();
            return model;
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * Loads a reward model ({@code *ForSequenceClassification}: {@code model.*} and {@code score.weight}), or a
     * causal LM directory as the backbone of a reward model with a new head when {@code newHeadSeed} is not null.
     */
    public static RewardModel loadRewardModel(Path dir, Long newHeadSeed) {
        LlamaConfig config = readConfig(dir);
        if (!config.isSequenceClassification()) {
            if (newHeadSeed == null) {
                throw CheckpointException.at(
                        dir, "holds a causal LM (" + config.architecture() + "), not a reward model with a score head");
            }
            return RewardModel.withNewHead(load(dir), newHeadSeed);
        }
        RewardModel model = RewardModel.withNewHead(LanguageModel.create(config, 0), 0);
        try {
            new WeightLoader(dir, model.hfParameters(), true).load();
            return model;
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * Refuses a use of the model in {@code dir} whose sequences reach {@code length} tokens when its attention window
     * is shorter (Mistral's {@code sliding_window}); the error names {@code dir/config.json}, the window and
     * {@code setting}, the job key that sets the length.
     */
    public static void requireWithinSlidingWindow(Path dir, long length, String setting) {
        try {
            readConfig(dir).requireWithinSlidingWindow(length, setting);
        } catch (ModelConfigException e) {
            throw new ModelConfigException(dir.resolve(CONFIG) + ": " + e.getMessage());
        }
    }

    private static LlamaConfig readConfig(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw CheckpointException.at(dir, "not a model directory (it does not exist or is a file)");
        }
        return LlamaConfig.read(dir.resolve(CONFIG));
    }

    /**
     * Writes the model to {@code dir}, replacing what is there. Tokenizer files are copied from {@code tokenizerDir}
     * when it is not null.
     */
    public static void save(LanguageModel model, Path dir, Path tokenizerDir) {
        save(model, dir, tokenizerDir, SaveOptions.DEFAULT);
    }

    /** {@link #save(LanguageModel, Path, Path)} with the weights stored as {@code options} say. */
    public static void save(LanguageModel model, Path dir, Path tokenizerDir, SaveOptions options) {
        AtomicDirectory.write(dir, tmp -> writeFiles(model, tmp, tokenizerDir, options));
    }

    /** Writes a reward model as transformers' {@code *ForSequenceClassification} with one label. */
    public static void saveRewardModel(RewardModel model, Path dir, Path tokenizerDir, int padTokenId) {
        saveRewardModel(model, dir, tokenizerDir, padTokenId, SaveOptions.DEFAULT);
    }

    /** {@link #saveRewardModel(RewardModel, Path, Path, int)} with the weights stored as {@code options} say. */
    public static void saveRewardModel(
            RewardModel model, Path dir, Path tokenizerDir, int padTokenId, SaveOptions options) {
        AtomicDirectory.write(dir, tmp -> writeFiles(model, tmp, tokenizerDir, padTokenId, options));
    }

    /** The files of {@link #save}, written into an existing directory (the caller makes it atomic). */
    public static void writeFiles(LanguageModel model, Path dir, Path tokenizerDir) throws IOException {
        writeFiles(model, dir, tokenizerDir, SaveOptions.DEFAULT);
    }

    /** The files of {@link #save(LanguageModel, Path, Path, SaveOptions)}, written into an existing directory. */
    public static void writeFiles(LanguageModel model, Path dir, Path tokenizerDir, SaveOptions options)
            throws IOException {
        LlamaConfig config = model.config().withArchitecture(model.config().causalLmArchitecture());
        writeFiles(dir, config.toJson(), config, model.block().hfParameters(), tokenizerDir, options);
    }

    /** The files of {@link #saveRewardModel}, written into an existing directory. */
    public static void writeFiles(RewardModel model, Path dir, Path tokenizerDir, int padTokenId) throws IOException {
        writeFiles(model, dir, tokenizerDir, padTokenId, SaveOptions.DEFAULT);
    }

    /** {@link #writeFiles(RewardModel, Path, Path, int)} with the weights stored as {@code options} say. */
    public static void writeFiles(RewardModel model, Path dir, Path tokenizerDir, int padTokenId, SaveOptions options)
            throws IOException {
        LlamaConfig config = model.config().withArchitecture(model.config().sequenceClassificationArchitecture());
        ObjectNode json = config.toJson();
        json.put("num_labels", 1);
        json.putObject("id2label").put("0", "LABEL_0");
        json.putObject("label2id").put("LABEL_0", 0);
        json.put("pad_token_id", padTokenId);
        writeFiles(dir, json, config, model.hfParameters(), tokenizerDir, options);
    }

    private static void writeFiles(
            Path dir,
            ObjectNode configJson,
            LlamaConfig config,
            Map<String, Parameter> params,
            Path tokenizerDir,
            SaveOptions options)
            throws IOException {
        configJson.put("torch_dtype", options.torchDtype());
        Files.writeString(
                dir.resolve(CONFIG), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(configJson));
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        params.forEach((name, p) -> tensors.put(name, p.getArray()));
        ShardedWeights.write(dir, tensors, options);
        GenerationDefaults.of(config).write(dir.resolve(GENERATION_CONFIG));
        if (tokenizerDir != null) {
            copyTokenizer(tokenizerDir, dir);
        }
    }

    /** Copies tokenizer.json and its companions from a model or tokenizer directory into {@code target}. */
    public static void copyTokenizer(Path tokenizerDir, Path target) throws IOException {
        Path source = Files.isDirectory(tokenizerDir) ? tokenizerDir : tokenizerDir.getParent();
        if (!Files.isRegularFile(source.resolve("tokenizer.json"))) {
            throw CheckpointException.at(source, "no tokenizer.json to copy into the checkpoint");
        }
        for (String name : TOKENIZER_FILES) {
            Path file = source.resolve(name);
            if (Files.isRegularFile(file)) {
                Files.copy(file, target.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
