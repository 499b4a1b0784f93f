package dev.rlhf.core.sft;

import dev.rlhf.core.TestData;
import dev.rlhf.core.checkpoint.HfCheckpoint;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.tokenizer.BpeTrainer;
import dev.rlhf.core.tokenizer.Tokenizer;
import dev.rlhf.core.tokenizer.TokenizerJsonWriter;
import dev.rlhf.core.train.ModelInit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A tokenizer and a job config for tiny SFT runs on the real HH data. */
final class SftFixtures {

    private SftFixtures() {}

    static Path tokenizer(Path dir) throws Exception {
        Path out = dir.resolve("tokenizer");
        if (!Files.isRegularFile(out.resolve("tokenizer.json"))) {
            TokenizerJsonWriter.write(BpeTrainer.train(List.of(TestData.tinyShakespeare()), 600), out);
        }
        return out;
    }

    /** A fresh tiny Llama saved as a model directory with the tokenizer: the frozen base of LoRA runs. */
    static Path base(Path dir) throws Exception {
        Path out = dir.resolve("base");
        if (!Files.isRegularFile(out.resolve("model.safetensors"))) {
            try (Tokenizer tokenizer = Tokenizer.load(tokenizer(dir));
                    LanguageModel lm = ModelInit.fresh(modelConfig(), tokenizer, 3)) {
                HfCheckpoint.save(lm, out, tokenizer(dir));
            }
        }
        return out;
    }

    /** {@link #config} on {@link #base} with a {@code lora} section (YAML flow mapping, e.g. {@code {r: 4, alpha: 8}}). */
    static String loraConfig(Path dir, int rows, String lora) throws Exception {
        String model = "model:\n  init: " + modelConfig() + "\n  tokenizer: " + tokenizer(dir);
        String config = config(dir, rows);
        if (!config.contains(model)) {
            throw new IllegalStateException("the fixture's model section changed");
        }
        return config.replace(model, "model:\n  path: " + base(dir) + "\nlora: " + lora);
    }

    private static Path modelConfig() {
        return Path.of("..", "configs", "model", "tiny.json").toAbsolutePath();
    }

    /** A tiny Llama trained on {@code rows} HH conversations, evaluated on 16. */
    static String config(Path dir, int rows) throws Exception {
        return String.join(
                "\n",
                "model:",
                "  init: " + modelConfig(),
                "  tokenizer: " + tokenizer(dir),
                "data:",
                "  datasets:",
                "    - path: " + TestData.file("hh-harmless-pairs.jsonl.gz").toAbsolutePath(),
                "      format: hh",
                "      size: " + (rows + 16),
                "      split: 16",
                "seq_len: 96",
                "train:",
                "  batch_size: 4",
                "  lr: 3.0e-3",
                "  warmup_steps: 2",
                "  log_every: 1",
                "  seed: 7",
                "output_dir: " + dir.resolve("runs"),
                "project: test",
                "samples:",
                "  prompts: [\"How do I bake bread?\"]",
                "  max_new_tokens: 8");
    }
}
