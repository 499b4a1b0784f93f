package dev.rlhf.cli;

import dev.rlhf.core.checkpoint.HfCheckpoint;
import dev.rlhf.core.lora.AdapterConfig;
import dev.rlhf.core.lora.LoraModel;
import dev.rlhf.core.lora.PeftAdapter;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.RewardModel;
import dev.rlhf.core.tokenizer.Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./rlhf merge}: folds a LoRA adapter in the PEFT layout into its base model ({@code W += scale * B A} for every
 * adapted linear) and writes a plain Hugging Face checkpoint, which {@code ./rlhf export}, the gateway and transformers
 * load without PEFT. A {@code SEQ_CLS} adapter (a reward model's) brings its trained {@code score} head.
 */
@Command(
        name = "merge",
        mixinStandardHelpOptions = true,
        description = "Merges a LoRA adapter (PEFT layout: adapter_config.json + adapter_model.safetensors) into its "
                + "base model and writes a plain HF checkpoint (a causal LM, or a reward model for a SEQ_CLS adapter).")
final class MergeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "The base model directory the adapter was trained on.")
    Path model;

    @Option(
            names = "--adapter",
            required = true,
            description = "The adapter directory (e.g. a LoRA run's checkpoints/best).")
    Path adapter;

    @Option(names = "--out", required = true, description = "Where the merged model is written (replaced whole).")
    Path out;

    @Override
    public Integer call() {
        AdapterConfig config = PeftAdapter.readConfig(adapter);
        Path tokenizer = Files.isRegularFile(model.resolve("tokenizer.json"))
                ? model
                : Files.isRegularFile(adapter.resolve("tokenizer.json")) ? adapter : null;
        String described;
        if (config.taskType() == LoraModel.TaskType.SEQ_CLS) {
            try (RewardModel rm = HfCheckpoint.loadRewardModel(model, 0L)) {
                LoraModel lora = PeftAdapter.load(rm, adapter);
                described = lora.describe();
                lora.merge();
                HfCheckpoint.saveRewardModel(rm, out, tokenizer, padId(tokenizer));
            }
        } else {
            try (LanguageModel lm = HfCheckpoint.load(model)) {
                LoraModel lora = PeftAdapter.load(lm, adapter);
                described = lora.describe();
                lora.merge();
                HfCheckpoint.save(lm, out, tokenizer);
            }
        }
        spec.commandLine().getOut().printf("merged %s into %s: %s (%s)%n", adapter, model, out, described);
        return 0;
    }

    private static int padId(Path tokenizerDir) {
        if (tokenizerDir == null) {
            return 0;
        }
        try (Tokenizer tokenizer = Tokenizer.load(tokenizerDir)) {
            return tokenizer.padId().orElse(tokenizer.eosId());
        }
    }
}
