package dev.rlhf.sft.rest;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The tiny SFT job of {@link JobResourceTest} with the paths as a user writes them: relative to the working directory
 * (this module's directory in tests), so that they resolve through the same rules the path roots apply.
 */
final class TinySftJob {

    static final String MODEL_INIT = "../configs/model/tiny.json";
    static final String TOKENIZER = "../configs/tokenizer/shakespeare-2k";
    static final String DATA = "../data/hh-harmless-pairs.jsonl.gz";

    private TinySftJob() {}

    /** The job as YAML. */
    static byte[] yaml(Path output, String exp) {
        return yaml(output, exp, DATA);
    }

    /** The job as YAML, training on {@code data}; other keys are replaced with {@code ?set=key=value}. */
    static byte[] yaml(Path output, String exp, String data) {
        String base = String.join(
                "\n",
                "model:",
                "  init: " + MODEL_INIT,
                "  tokenizer: " + TOKENIZER,
                "data:",
                "  datasets:",
                "    - path: " + data,
                "      format: hh",
                "      size: 32",
                "      split: 8",
                "seq_len: 64",
                "train:",
                "  batch_size: 4",
                "  max_steps: 2",
                "output_dir: " + output,
                "exp: " + exp,
                "");
        return base.getBytes(StandardCharsets.UTF_8);
    }
}
