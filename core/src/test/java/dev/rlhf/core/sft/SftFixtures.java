package dev.rlhf.core.sft;

import dev.rlhf.core.TestData;
import dev.rlhf.core.tokenizer.BpeTrainer;
import dev.rlhf.core.tokenizer.TokenizerJsonWriter;
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

    /** A tiny Llama trained on {@code rows} HH conversations, evaluated on 16. */
    static String config(Path dir, int rows) throws Exception {
        Path modelConfig = Path.of("..", "configs", "model", "tiny.json").toAbsolutePath();
        return String.join(
                "\n",
                "model:",
                "  init: " + modelConfig,
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
