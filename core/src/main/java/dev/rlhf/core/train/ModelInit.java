package dev.rlhf.core.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rlhf.core.config.ModelConfig;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.LlamaConfig;
import dev.rlhf.core.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.Optional;

/** What a training job's {@code model} section starts from: the tokenizer to load, and a freshly built model. */
public final class ModelInit {
    private ModelInit() {}

    /** The checkpoint being resumed, else the model directory, else the configured tokenizer. */
    public static Path tokenizerSource(ModelConfig model, Optional<Path> resumeFrom) {
        if (resumeFrom.isPresent()) {
            return resumeFrom.get();
        }
        return model.path().orElseGet(() -> model.tokenizer().orElseThrow());
    }

    /**
     * The architecture a job will train, read before anything is loaded: {@code model.path}'s {@code config.json}, or
     * {@code model.init} with the tokenizer's vocabulary size when it gives none (as {@link #fresh} builds it).
     */
    public static LlamaConfig architecture(ModelConfig model) {
        if (model.path().isPresent()) {
            return LlamaConfig.read(model.path().get().resolve("config.json"));
        }
        Path init = model.init().orElseThrow();
        ObjectNode json = LlamaConfig.readTree(init);
        if (!json.has("vocab_size")) {
            try (Tokenizer tokenizer = Tokenizer.load(model.tokenizer().orElseThrow())) {
                json.put("vocab_size", tokenizer.vocabSize());
            }
        }
        return LlamaConfig.parse(json, init);
    }

    /**
     * A randomly initialised causal LM from {@code init} (a {@code config.json}); its vocabulary size defaults to the
     * tokenizer's, and its BOS and EOS are the tokenizer's end-of-text.
     */
    public static LanguageModel fresh(Path init, Tokenizer tokenizer, long seed) {
        ObjectNode json = LlamaConfig.readTree(init);
        if (!json.has("vocab_size")) {
            json.put("vocab_size", tokenizer.vocabSize());
        }
        LlamaConfig config = LlamaConfig.parse(json, init).withSpecialTokens(tokenizer.eosId(), tokenizer.eosId());
        return LanguageModel.create(config, seed);
    }
}
