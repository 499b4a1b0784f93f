package dev.rlhf.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rlhf.core.checkpoint.HfCheckpoint;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.LlamaConfig;
import dev.rlhf.core.model.ModelConfigException;
import dev.rlhf.core.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "init",
        mixinStandardHelpOptions = true,
        description = "Write a randomly initialised model (config.json, model.safetensors, tokenizer files).")
final class ModelInitCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = "--config",
            required = true,
            description = "A Hugging Face config.json (LlamaForCausalLM or Qwen2ForCausalLM fields); "
                    + "vocab_size may be left out to take the tokenizer's.")
    Path config;

    @Option(names = "--tokenizer", required = true, description = "Directory holding tokenizer.json.")
    Path tokenizer;

    @Option(names = "--out", required = true, description = "Model directory to write (replaced atomically).")
    Path out;

    @Option(
            names = "--seed",
            defaultValue = "0",
            description = "Seed of the random weights (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        try (Tokenizer tok = Tokenizer.load(tokenizer)) {
            LlamaConfig modelConfig = resolve(tok);
            try (LanguageModel model = LanguageModel.create(modelConfig, seed)) {
                HfCheckpoint.save(model, out, tok.file().getParent());
                spec.commandLine()
                        .getOut()
                        .printf(
                                "wrote %s: %s, %,d parameters, vocab %d%n",
                                out, modelConfig.architecture(), model.parameterCount(), modelConfig.vocabSize());
            }
        }
        return 0;
    }

    private LlamaConfig resolve(Tokenizer tok) {
        ObjectNode root = LlamaConfig.readTree(config);
        if (!root.has("vocab_size")) {
            root.put("vocab_size", tok.vocabSize());
        }
        LlamaConfig parsed = LlamaConfig.parse(root, config);
        if (parsed.vocabSize() < tok.vocabSize()) {
            throw new ModelConfigException(config + ": field 'vocab_size' " + parsed.vocabSize()
                    + " is smaller than the tokenizer's " + tok.vocabSize() + " (" + tok.file() + ")");
        }
        return parsed.withSpecialTokens(tok.eosId(), tok.eosId());
    }
}
