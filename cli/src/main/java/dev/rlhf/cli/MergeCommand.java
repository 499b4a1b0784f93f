package dev.rlhf.cli;

import dev.rlhf.core.checkpoint.HfCheckpoint;
import dev.rlhf.core.checkpoint.SaveOptions;
import dev.rlhf.core.checkpoint.ShardSize;
import dev.rlhf.core.config.SaveDtype;
import dev.rlhf.core.lora.AdapterConfig;
import dev.rlhf.core.lora.LoraModel;
import dev.rlhf.core.lora.PeftAdapter;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.RewardModel;
import dev.rlhf.core.tokenizer.Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
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

    @Option(
            names = "--dtype",
            defaultValue = "f32",
            description = "Saved weights: f32, or bf16 (rounded to nearest even; config.json's torch_dtype says so). "
                    + "Default ${DEFAULT-VALUE}.")
    String dtype;

    @Option(
            names = "--max-shard-size",
            defaultValue = "5GB",
            description = "transformers' max_shard_size: weights above it are split into "
                    + "model-0000N-of-0000M.safetensors with an index; bytes, or an integer with KB/MB/GB or "
                    + "KiB/MiB/GiB. Default ${DEFAULT-VALUE}.")
    String maxShardSize;

    @Override
    public Integer call() {
        SaveOptions save = saveOptions();
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
                HfCheckpoint.saveRewardModel(rm, out, tokenizer, padId(tokenizer), save);
            }
        } else {
            try (LanguageModel lm = HfCheckpoint.load(model)) {
                LoraModel lora = PeftAdapter.load(lm, adapter);
                described = lora.describe();
                lora.merge();
                HfCheckpoint.save(lm, out, tokenizer, save);
            }
        }
        spec.commandLine().getOut().printf("merged %s into %s: %s (%s)%n", adapter, model, out, described);
        return 0;
    }

    private SaveOptions saveOptions() {
        SaveDtype type = switch (dtype.toLowerCase(Locale.ROOT)) {
            case "f32" -> SaveDtype.F32;
            case "bf16" -> SaveDtype.BF16;
            default -> throw new IllegalArgumentException("--dtype: expected f32 or bf16, got '" + dtype + "'");
        };
        try {
            return new SaveOptions(type.safetensors(), ShardSize.parse(maxShardSize));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--max-shard-size: " + e.getMessage(), e);
        }
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
