package dev.rlhf.core.rm;

import dev.rlhf.core.TestData;
import java.nio.file.Path;

/** Job configs for tiny reward-model runs: the tiny Llama and the shipped tokenizer, on the real HH pairs. */
final class RmFixtures {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private RmFixtures() {}

    static Path hhPairs() {
        return TestData.file("hh-harmless-pairs.jsonl.gz").toAbsolutePath();
    }

    /** A fresh tiny reward model on {@code data} ({@code format}), {@code eval} rows held out. */
    static String config(Path dir, Path data, String format, int eval) {
        String model = String.join(
                "\n",
                "model:",
                "  init: " + ROOT.resolve("configs/model/tiny.json"),
                "  tokenizer: " + ROOT.resolve("configs/tokenizer/shakespeare-2k"));
        return model + "\n" + rest(dir, data, format, eval);
    }

    /** The same from a model directory: a causal LM (a new head) or a reward model (continued). */
    static String config(Path dir, Path modelDir, Path data, String format, int eval) {
        return "model:\n  path: " + modelDir + "\n" + rest(dir, data, format, eval);
    }

    private static String rest(Path dir, Path data, String format, int eval) {
        return String.join(
                "\n",
                "data:",
                "  datasets:",
                "    - path: " + data,
                "      format: " + format,
                "      split: " + eval,
                "seq_len: 128",
                "train:",
                "  batch_size: 8",
                "  lr: 2.0e-3",
                "  warmup_steps: 5",
                "  log_every: 5",
                "  seed: 7",
                "output_dir: " + dir.resolve("runs"),
                "project: test");
    }
}
