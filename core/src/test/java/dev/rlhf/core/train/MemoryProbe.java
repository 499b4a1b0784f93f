package dev.rlhf.core.train;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.rlhf.core.TestData;
import dev.rlhf.core.jobs.JobContext;
import dev.rlhf.core.jobs.JobSpec;
import dev.rlhf.core.sft.SftJobRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs one real pretraining job of one optimizer step in a fresh JVM and prints how far its resident set grew:
 * {@code VmHWM} after the job minus {@code VmRSS} before it (with the engine loaded and the peak reset through
 * {@code /proc/self/clear_refs}). Arguments: output directory, batch size, sequence length.
 */
public final class MemoryProbe {
    private MemoryProbe() {}

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        int batch = Integer.parseInt(args[1]);
        int seqLen = Integer.parseInt(args[2]);
        try (NDManager manager = NDManager.newBaseManager()) {
            manager.ones(new Shape(4, 4)).matMul(manager.ones(new Shape(4, 4))).sum(); // load the engine first
        }
        Path root = Path.of("..").toAbsolutePath().normalize();
        String config = String.join(
                "\n",
                "model:",
                "  init: " + root.resolve("configs/model/tiny.json"),
                "  tokenizer: " + root.resolve("configs/tokenizer/shakespeare-2k"),
                "data:",
                "  datasets:",
                "    - path: " + TestData.tinyShakespeare().toAbsolutePath(),
                "      format: text",
                "      split: " + batch,
                "mode: pretrain",
                "seq_len: " + seqLen,
                "train:",
                "  batch_size: " + batch,
                "  max_steps: 1",
                "output_dir: " + out);
        long before = status("VmRSS");
        Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        new SftJobRunner(List.of()).prepare(JobSpec.ofBody(config)).run(JobContext.silent());
        System.out.println("growth=" + (status("VmHWM") - before));
    }

    /** A {@code /proc/self/status} line's value, in bytes. */
    public static long status(String key) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(key + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException(key + " not in /proc/self/status");
    }
}
