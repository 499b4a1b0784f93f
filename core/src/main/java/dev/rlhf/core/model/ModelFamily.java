package dev.rlhf.core.model;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The {@code model_type}s this suite builds: one decoder (see {@link CausalLm}) whose variants differ in a few
 * switches. Llama and Mistral share the layout; Qwen2 puts a bias on q, k and v; Qwen3 normalises every query and key
 * head (RMSNorm over E, {@code q_norm} / {@code k_norm}) before the rotation.
 */
public enum ModelFamily {
    LLAMA("llama", "Llama", false),
    QWEN2("qwen2", "Qwen2", false),
    QWEN3("qwen3", "Qwen3", true),
    MISTRAL("mistral", "Mistral", false);

    private final String modelType;
    private final String prefix;
    private final boolean qkNorm;

    ModelFamily(String modelType, String prefix, boolean qkNorm) {
        this.modelType = modelType;
        this.prefix = prefix;
        this.qkNorm = qkNorm;
    }

    /** The {@code model_type} of {@code config.json}. */
    public String modelType() {
        return modelType;
    }

    /** Whether attention normalises query and key heads ({@code self_attn.q_norm} / {@code k_norm}). */
    public boolean qkNorm() {
        return qkNorm;
    }

    public String causalLmArchitecture() {
        return prefix + "ForCausalLM";
    }

    public String sequenceClassificationArchitecture() {
        return prefix + "ForSequenceClassification";
    }

    /** The family of a {@code model_type}, or an error listing the supported ones. */
    public static ModelFamily of(String modelType) {
        for (ModelFamily family : values()) {
            if (family.modelType.equals(modelType)) {
                return family;
            }
        }
        throw new ModelConfigException("model_type '" + modelType + "' is not supported (" + supported() + ")");
    }

    private static String supported() {
        return Arrays.stream(values()).map(ModelFamily::modelType).collect(Collectors.joining(", "));
    }
}
