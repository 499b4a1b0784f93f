package dev.rlhf.service.jobs.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A job config that trains on CPU in seconds: the tiny Llama ({@code configs/model/tiny.json}, the shipped 2k
 * tokenizer) on the first HH rows (16 held out), seq_len 96, batch 4, logging every 2 steps. SFT and reward-model
 * jobs both read it (as conversations, or as chosen / rejected pairs).
 */
public final class TinyHhJob {

    /** The repository root, seen from a module directory (where tests run). */
    public static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private TinyHhJob() {}

    /**
     * @param rows HH rows read (16 of them held out)
     * @param evalEvery steps between evaluations; 0 leaves the trainer's default
     */
    public static String config(Path output, String exp, int maxSteps, int rows, String lr, int evalEvery) {
        List<String> lines = new ArrayList<>(List.of(
                "model:",
                "  init: " + ROOT.resolve("configs/model/tiny.json"),
                "  tokenizer: " + ROOT.resolve("configs/tokenizer/shakespeare-2k"),
                "data:",
                "  datasets:",
                "    - path: " + ROOT.resolve("data/hh-harmless-pairs.jsonl.gz").normalize(),
                "      format: hh",
                "      size: " + rows,
                "      split: 16",
                "seq_len: 96",
                "train:",
                "  batch_size: 4",
                "  lr: " + lr,
                "  warmup_steps: 2",
                "  log_every: 2"));
        if (evalEvery > 0) {
            lines.add("  eval_every: " + evalEvery);
        }
        lines.addAll(List.of("  max_steps: " + maxSteps, "output_dir: " + output, "exp: " + exp));
        return String.join("\n", lines);
    }
}
