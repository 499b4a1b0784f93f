package dev.rlhf.core.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Hyper-parameters of a Llama-family decoder, read from and written to a Hugging Face {@code config.json}.
 *
 * <p>Covers the {@link ModelFamily families} Llama (incl. Llama 3.x {@code rope_scaling}), Mistral, Qwen2 and Qwen3.
 * Qwen2 carries a bias on the q, k and v projections; {@code attention_bias} (Llama, Qwen3) puts a bias on all four
 * attention projections; Mistral has none. Qwen3 adds per-head q/k RMSNorm ({@link ModelFamily#qkNorm()}).
 *
 * @param architecture the {@code architectures[0]} entry, e.g. {@code LlamaForCausalLM}
 * @param modelType a {@link ModelFamily#modelType()}: {@code llama}, {@code qwen2}, {@code qwen3} or {@code mistral}
 * @param headDim size of one attention head, {@code hidden_size / num_attention_heads} unless given (Qwen3-0.6B: 1024
 *     hidden, 16 heads, head_dim 128)
 * @param ropeScaling {@code rope_scaling}: none, linear or llama3
 * @param slidingWindow the attention window of Mistral ({@code sliding_window}) or of Qwen with
 *     {@code use_sliding_window}; 0 for none. This suite computes full causal attention, which equals windowed
 *     attention only for sequences of at most this many tokens, so longer ones are refused
 *     ({@link #requireWithinSlidingWindow})
 */
public record LlamaConfig(
        String architecture,
        String modelType,
        int vocabSize,
        int hiddenSize,
        int intermediateSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int numKeyValueHeads,
        int headDim,
        double rmsNormEps,
        double ropeTheta,
        RopeScaling ropeScaling,
        int maxPositionEmbeddings,
        int slidingWindow,
        boolean tieWordEmbeddings,
        boolean qkvBias,
        boolean outputBias,
        int bosTokenId,
        int eosTokenId) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public LlamaConfig {
        family(modelType);
        Objects.requireNonNull(ropeScaling, "ropeScaling");
        require(vocabSize > 0, "vocab_size", "must be positive, got " + vocabSize);
        require(hiddenSize > 0, "hidden_size", "must be positive, got " + hiddenSize);
        require(intermediateSize > 0, "intermediate_size", "must be positive, got " + intermediateSize);
        require(numHiddenLayers > 0, "num_hidden_layers", "must be positive, got " + numHiddenLayers);
        require(numAttentionHeads > 0, "num_attention_heads", "must be positive, got " + numAttentionHeads);
        require(
                numKeyValueHeads > 0 && numAttentionHeads % numKeyValueHeads == 0,
                "num_key_value_heads",
                "must divide num_attention_heads=" + numAttentionHeads + ", got " + numKeyValueHeads);
        require(headDim > 0 && headDim % 2 == 0, "head_dim", "must be positive and even, got " + headDim);
        require(rmsNormEps > 0, "rms_norm_eps", "must be positive, got " + rmsNormEps);
        require(ropeTheta > 0, "rope_theta", "must be positive, got " + ropeTheta);
        require(maxPositionEmbeddings > 0, "max_position_embeddings", "must be positive");
        require(slidingWindow >= 0, "sliding_window", "must be positive or null, got " + slidingWindow);
    }

    public ModelFamily family() {
        return family(modelType);
    }

    private static ModelFamily family(String modelType) {
        return ModelFamily.of(modelType);
    }

    /** The rotary inverse frequencies (E/2) of this config, rope scaling applied. */
    public float[] rotaryInverseFrequencies() {
        return RotaryEmbedding.inverseFrequencies(headDim, ropeTheta, ropeScaling);
    }

    /**
     * Refuses sequences longer than the sliding window: with window W, transformers lets position i attend to key j
     * when {@code i - W < j <= i}, which is full causal attention exactly when the sequence has at most W tokens.
     *
     * @param length the longest sequence a use (job, generation) will run, in tokens
     * @param setting what sets that length, named in the error, e.g. {@code seq_len}
     */
    public void requireWithinSlidingWindow(long length, String setting) {
        if (slidingWindow > 0 && length > slidingWindow) {
            throw new ModelConfigException(
                    "sliding_window=" + slidingWindow + " in config.json (" + modelType + ") is shorter than "
                            + setting + "=" + length + "; this suite computes full causal attention, which matches the"
                            + " model only for sequences of at most sliding_window tokens");
        }
    }

    /** Number of query heads that share one key/value head. */
    public int groupSize() {
        return numAttentionHeads / numKeyValueHeads;
    }

    public LlamaConfig withVocabSize(int newVocabSize) {
        return with(architecture, newVocabSize, bosTokenId, eosTokenId);
    }

    public LlamaConfig withArchitecture(String newArchitecture) {
        return with(newArchitecture, vocabSize, bosTokenId, eosTokenId);
    }

    /** The causal-LM architecture name of this family, e.g. {@code LlamaForCausalLM}. */
    public String causalLmArchitecture() {
        return family().causalLmArchitecture();
    }

    /** The sequence-classification (reward model) architecture name, e.g. {@code LlamaForSequenceClassification}. */
    public String sequenceClassificationArchitecture() {
        return family().sequenceClassificationArchitecture();
    }

    public boolean isSequenceClassification() {
        return architecture.endsWith("ForSequenceClassification");
    }

    public LlamaConfig withSpecialTokens(int bos, int eos) {
        return with(architecture, vocabSize, bos, eos);
    }

    /** This config with the fields that checkpoints and tokenizers change; the shape stays. */
    private LlamaConfig with(String newArchitecture, int newVocabSize, int bos, int eos) {
        return new LlamaConfig(
                newArchitecture,
                modelType,
                newVocabSize,
                hiddenSize,
                intermediateSize,
                numHiddenLayers,
                numAttentionHeads,
                numKeyValueHeads,
                headDim,
                rmsNormEps,
                ropeTheta,
                ropeScaling,
                maxPositionEmbeddings,
                slidingWindow,
                tieWordEmbeddings,
                qkvBias,
                outputBias,
                bos,
                eos);
    }

    /** Reads {@code config.json}; every error names the file and the field. */
    public static LlamaConfig read(Path file) {
        return parse(readTree(file), file);
    }

    /** The JSON object in {@code file}, or an error naming the file. */
    public static ObjectNode readTree(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new ModelConfigException(file + ": file not found");
        } catch (JsonProcessingException e) {
            throw new ModelConfigException(file + ": not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ModelConfigException(file + ": cannot read: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new ModelConfigException(file + ": expected a JSON object");
        }
        return (ObjectNode) root;
    }

    /** Builds a config from a parsed {@code config.json}; errors name {@code source}. */
    public static LlamaConfig parse(JsonNode root, Path source) {
        try {
            return fromJson(root);
        } catch (ModelConfigException e) {
            throw new ModelConfigException(source + ": " + e.getMessage());
        }
    }

    private static LlamaConfig fromJson(JsonNode root) {
        ModelFamily family = ModelFamily.of(text(root, "model_type", "llama"));
        String architecture = root.path("architectures").path(0).asText(family.causalLmArchitecture());
        if (root.path("mlp_bias").asBoolean(false)) {
            throw new ModelConfigException("mlp_bias=true is not supported");
        }
        int hidden = integer(root, "hidden_size", null);
        int heads = integer(root, "num_attention_heads", null);
        boolean attentionBias =
                family != ModelFamily.MISTRAL && root.path("attention_bias").asBoolean(false);
        boolean qwen2 = family == ModelFamily.QWEN2;
        // transformers 5 writes rope_theta and the scaling together as rope_parameters; 4.x wrote them apart
        JsonNode rope = root.hasNonNull("rope_parameters") ? root.get("rope_parameters") : root.get("rope_scaling");
        JsonNode thetaSource = rope != null && rope.hasNonNull("rope_theta") ? rope : root;
        return new LlamaConfig(
                architecture,
                family.modelType(),
                integer(root, "vocab_size", null),
                hidden,
                integer(root, "intermediate_size", null),
                integer(root, "num_hidden_layers", null),
                heads,
                integer(root, "num_key_value_heads", heads),
                integer(root, "head_dim", heads > 0 ? hidden / heads : 0),
                number(root, "rms_norm_eps", 1e-6),
                number(thetaSource, "rope_theta", 10000.0),
                RopeScaling.parse(rope),
                integer(root, "max_position_embeddings", 2048),
                slidingWindow(root, family),
                root.path("tie_word_embeddings").asBoolean(false),
                qwen2 || attentionBias,
                !qwen2 && attentionBias,
                integer(root, "bos_token_id", 0),
                integer(root, "eos_token_id", 0));
    }

    /**
     * Mistral's {@code sliding_window} (transformers' default 4096 when the key is absent, none when null); Qwen's
     * only when {@code use_sliding_window} is true (counted for every layer, whatever {@code max_window_layers}).
     */
    private static int slidingWindow(JsonNode root, ModelFamily family) {
        return switch (family) {
            case MISTRAL -> root.has("sliding_window") ? integer(root, "sliding_window", 0) : 4096;
            case QWEN2, QWEN3 ->
                root.path("use_sliding_window").asBoolean(false) ? integer(root, "sliding_window", 4096) : 0;
            case LLAMA -> 0;
        };
    }

    /** The {@code config.json} that transformers reads back as this architecture. */
    public ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.putArray("architectures").add(architecture);
        root.put("model_type", modelType);
        root.put("vocab_size", vocabSize);
        root.put("hidden_size", hiddenSize);
        root.put("intermediate_size", intermediateSize);
        root.put("num_hidden_layers", numHiddenLayers);
        root.put("num_attention_heads", numAttentionHeads);
        root.put("num_key_value_heads", numKeyValueHeads);
        root.put("head_dim", headDim);
        root.put("hidden_act", "silu");
        root.put("rms_norm_eps", rmsNormEps);
        root.put("rope_theta", ropeTheta);
        root.set("rope_scaling", ropeScaling.toJson());
        root.put("max_position_embeddings", maxPositionEmbeddings);
        root.put("tie_word_embeddings", tieWordEmbeddings);
        switch (family()) {
            case LLAMA -> {
                root.put("attention_bias", qkvBias);
                root.put("mlp_bias", false);
            }
            case QWEN3 -> root.put("attention_bias", qkvBias);
            case MISTRAL -> putWindow(root);
            case QWEN2 -> {}
        }
        if (family() == ModelFamily.QWEN2 || family() == ModelFamily.QWEN3) {
            root.put("use_sliding_window", slidingWindow > 0);
            putWindow(root);
            root.put("max_window_layers", 0); // a window, when there is one, counts for every layer
        }
        root.put("bos_token_id", bosTokenId);
        root.put("eos_token_id", eosTokenId);
        root.put("torch_dtype", "float32");
        root.put("initializer_range", 0.02);
        root.put("use_cache", true);
        return root;
    }

    private void putWindow(ObjectNode root) {
        if (slidingWindow > 0) {
            root.put("sliding_window", slidingWindow);
        } else {
            root.putNull("sliding_window");
        }
    }

    public void write(Path file) throws IOException {
        Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(toJson()));
    }

    private static int integer(JsonNode root, String field, Integer fallback) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            if (fallback == null) {
                throw new ModelConfigException("missing required field '" + field + "'");
            }
            return fallback;
        }
        if (node.isArray() && field.endsWith("_token_id") && !node.isEmpty()) {
            node = node.get(0); // eos_token_id may list several ids; the first is the one we stop on
        }
        if (!node.canConvertToInt() || !node.isIntegralNumber()) {
            throw new ModelConfigException("field '" + field + "' must be an integer, got " + node);
        }
        return node.intValue();
    }

    private static double number(JsonNode root, String field, double fallback) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isNumber()) {
            throw new ModelConfigException("field '" + field + "' must be a number, got " + node);
        }
        return node.doubleValue();
    }

    private static String text(JsonNode root, String field, String fallback) {
        JsonNode node = root.get(field);
        return node == null || node.isNull() ? fallback : node.asText();
    }

    private static void require(boolean ok, String field, String problem) {
        if (!ok) {
            throw new ModelConfigException("field '" + field + "' " + problem);
        }
    }
}
