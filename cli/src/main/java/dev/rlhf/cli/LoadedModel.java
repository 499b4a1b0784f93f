package dev.rlhf.cli;

import dev.rlhf.core.generation.GenerationDefaults;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.tokenizer.Tokenizer;
import java.nio.file.Path;

/**
 * A model directory opened for inference: weights (and a LoRA adapter on them, with {@code --adapter}), the
 * tokenizer stored beside them and the generation defaults of its {@code generation_config.json}.
 */
record LoadedModel(LanguageModel model, Tokenizer tokenizer, GenerationDefaults generationDefaults)
        implements AutoCloseable {

    static LoadedModel open(Path dir) {
        return open(dir, new AdapterOption());
    }

    /** The model in {@code dir} with {@code --adapter}'s LoRA adapter attached when one is given. */
    static LoadedModel open(Path dir, AdapterOption adapter) {
        Tokenizer tokenizer = Tokenizer.load(dir);
        try {
            GenerationDefaults defaults = GenerationDefaults.read(dir);
            return new LoadedModel(adapter.languageModel(dir, false), tokenizer, defaults);
        } catch (RuntimeException e) {
            tokenizer.close();
            throw e;
        }
    }

    @Override
    public void close() {
        model.close();
        tokenizer.close();
    }
}
