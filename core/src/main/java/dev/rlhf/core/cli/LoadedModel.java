package dev.rlhf.core.cli;

import dev.rlhf.core.checkpoint.HfCheckpoint;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.tokenizer.Tokenizer;
import java.nio.file.Path;

/** A model directory opened for inference: weights and the tokenizer stored beside them. */
record LoadedModel(LanguageModel model, Tokenizer tokenizer) implements AutoCloseable {

    static LoadedModel open(Path dir) {
        Tokenizer tokenizer = Tokenizer.load(dir);
        try {
            return new LoadedModel(HfCheckpoint.load(dir), tokenizer);
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
