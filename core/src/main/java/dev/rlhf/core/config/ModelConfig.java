package dev.rlhf.core.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The model to train: a Hugging Face model directory, or a fresh one built from a {@code config.json} with a given
 * tokenizer.
 *
 * @param path a model directory ({@code config.json}, {@code model.safetensors}, {@code tokenizer.json})
 * @param init a {@code config.json} to initialise a new model from (needs {@code tokenizer})
 * @param tokenizer a directory or {@code tokenizer.json}; with {@code path} it replaces the model's own
 * @param adapter a LoRA adapter in PEFT's layout trained on {@code path}, to continue training (its settings come from
 *     its {@code adapter_config.json})
 */
public record ModelConfig(Optional<Path> path, Optional<Path> init, Optional<Path> tokenizer, Optional<Path> adapter) {
    public ModelConfig {
        ConfigValueException.require(
                path.isPresent() || init.isPresent(), "path", "give model.path, or model.init and model.tokenizer");
        ConfigValueException.require(
                path.isEmpty() || init.isEmpty(),
                "init",
                "give model.path or model.init, not both (set the other to null)");
        ConfigValueException.require(
                init.isEmpty() || tokenizer.isPresent(), "tokenizer", "model.init needs model.tokenizer");
        ConfigValueException.require(
                adapter.isEmpty() || path.isPresent(),
                "adapter",
                "needs model.path, the base the adapter was trained on");
    }
}
