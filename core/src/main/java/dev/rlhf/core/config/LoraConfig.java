package dev.rlhf.core.config;

import dev.rlhf.core.lora.LoraSettings;
import java.util.List;
import java.util.Optional;

/**
 * The {@code lora} section of SFT and reward-model jobs: train low-rank adapters on the frozen {@code model.path}
 * instead of the whole model (see {@link LoraSettings} for the formula). Absent (null, the default): full fine-tuning.
 * The A matrices are seeded by {@code train.seed}.
 *
 * @param r the adapters' rank
 * @param alpha the update is scaled by {@code alpha / r} (or {@code alpha / sqrt(r)} with {@code use_rslora})
 * @param dropout on each adapter's input while training; absent: 0
 * @param targetModules the linears that get an adapter; absent: all seven of attention and MLP
 * @param useRslora scale by {@code alpha / sqrt(r)}; absent: false
 * @param init PEFT's {@code init_lora_weights}; only its default {@code true} (A kaiming-uniform, B zero, so that a
 *     fresh adapter changes nothing) is supported, and any other value is an error naming {@code init}
 */
public record LoraConfig(
        int r,
        double alpha,
        Optional<Double> dropout,
        Optional<List<String>> targetModules,
        Optional<Boolean> useRslora,
        Optional<String> init) {

    /** The one {@code init} value supported: PEFT's default. */
    public static final String PEFT_DEFAULT_INIT = "true";

    public LoraConfig {
        settingsOf(r, alpha, dropout, targetModules, useRslora); // every range check, named by its key
        ConfigValueException.require(
                init.map(PEFT_DEFAULT_INIT::equals).orElse(true),
                "init",
                "'" + init.orElse("") + "' is not supported; the only value is true (PEFT's default: A kaiming-uniform,"
                        + " B zero)");
    }

    /** The adapter these keys describe. */
    public LoraSettings settings() {
        return settingsOf(r, alpha, dropout, targetModules, useRslora);
    }

    /**
     * The checks every job with a {@code lora} section shares: the base comes from {@code model.path} (a fresh
     * {@code model.init} base would be trained by nothing and saved nowhere), and a new adapter is not also a
     * continued one.
     */
    public static void requireCompatible(Optional<LoraConfig> lora, ModelConfig model) {
        if (lora.isEmpty()) {
            return;
        }
        ConfigValueException.require(
                model.path().isPresent(), "lora", "needs model.path, the base the adapters train on (not model.init)");
        ConfigValueException.require(
                model.adapter().isEmpty(),
                "lora",
                "conflicts with model.adapter, whose adapter_config.json sets the adapter; give one of them");
    }

    private static LoraSettings settingsOf(
            int r,
            double alpha,
            Optional<Double> dropout,
            Optional<List<String>> targetModules,
            Optional<Boolean> useRslora) {
        try {
            return new LoraSettings(
                    r, alpha, dropout.orElse(0.0), targetModules.orElse(LoraSettings.LINEARS), useRslora.orElse(false));
        } catch (LoraSettings.InvalidSetting e) {
            throw new ConfigValueException(e.field(), e.problem());
        }
    }
}
