package dev.rlhf.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.core.config.ModelConfig;
import dev.rlhf.core.lora.LoraSettings;
import dev.rlhf.core.model.LlamaConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The estimate against the measured peak: real one-step jobs of the tiny model, each in a fresh JVM
 * ({@link MemoryProbe}), resident-set growth versus {@link MemoryEstimate#total()}. The estimate must neither miss a job
 * that would not fit (below the measure by more than {@link #UNDER}) nor refuse jobs that fit (above by more than
 * {@link #OVER}).
 */
class MemoryEstimateTest {

    /** The estimate may be this much below the measured growth. */
    static final double UNDER = 0.8;
    /** ... and this much above it. */
    static final double OVER = 2.0;

    @TempDir
    Path dir;

    @Test
    void theEstimateIsWithinItsFactorOfTheMeasuredPeakOfRealJobs() throws Exception {
        LlamaConfig tiny = ModelInit.architecture(new ModelConfig(
                Optional.empty(),
                Optional.of(Path.of("..", "configs", "model", "tiny.json")),
                Optional.of(Path.of("..", "configs", "tokenizer", "shakespeare-2k")),
                Optional.empty()));
        List<String> rows = new ArrayList<>();
        boolean ok = true;
        for (int[] shape : new int[][] {{8, 128}, {32, 256}, {16, 512}}) {
            long measured = measure(shape[0], shape[1]);
            long estimated =
                    MemoryEstimate.training(tiny, shape[0], shape[1], true).total();
            double ratio = (double) estimated / measured;
            rows.add(String.format(
                    Locale.ROOT,
                    "B=%d T=%d: estimate %s, measured %s, ratio %.2f",
                    shape[0],
                    shape[1],
                    MemoryEstimate.gib(estimated),
                    MemoryEstimate.gib(measured),
                    ratio));
            ok &= ratio >= UNDER && ratio <= OVER;
        }
        System.out.println(String.join("\n", rows));
        assertTrue(ok, String.join("\n", rows));
    }

    @Test
    void withLoraOnlyTheAdapterHasGradientsAndAdamState() {
        LlamaConfig tiny = ModelInit.architecture(new ModelConfig(
                Optional.empty(),
                Optional.of(Path.of("..", "configs", "model", "tiny.json")),
                Optional.of(Path.of("..", "configs", "tokenizer", "shakespeare-2k")),
                Optional.empty()));
        long adapter = LoraSettings.of(8, 16).parameterCount(tiny);
        long p = MemoryEstimate.parameterCount(tiny);
        MemoryEstimate full = MemoryEstimate.training(tiny, 8, 128, true);
        MemoryEstimate lora = MemoryEstimate.adapterTraining(tiny, 8, 128, true, adapter);
        assertEquals(4 * 2 * p, full.weights()); // weights and gradients, f32
        assertEquals(4 * (p + 2 * adapter), lora.weights()); // P + A weights, A gradients
        assertEquals(4 * 2 * adapter, lora.optimizer()); // AdamW's two moments of A
        assertEquals(full.activations(), lora.activations(), "backward still runs through every layer");
        assertEquals(full.attention(), lora.attention());
        assertEquals(full.logits(), lora.logits());
        assertTrue(lora.total() < full.total());
    }

    @Test
    void gradientCheckpointingHoldsOneLayersActivationsAndEveryLayersInput() {
        LlamaConfig qwen3 = dev.rlhf.core.model.TestModels.qwen3(151_936);
        MemoryEstimate plain = MemoryEstimate.training(qwen3, 1, 256, true);
        MemoryEstimate checkpointed = plain.checkpointed(qwen3, 1, 256);
        long layers = qwen3.numHiddenLayers();
        long inputs = 4L * 256 * qwen3.hiddenSize() * (layers + 1);
        assertEquals(plain.activations() / layers + inputs, checkpointed.activations());
        assertEquals(plain.attention() / layers, checkpointed.attention());
        assertEquals(plain.weights(), checkpointed.weights());
        assertEquals(plain.logits(), checkpointed.logits(), "the top (head and loss) is not recomputed");
        assertTrue(checkpointed.total() < plain.total());
    }

    private long measure(int batch, int seqLen) throws Exception {
        Process process = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx512m",
                        "-Xms512m",
                        "-XX:+AlwaysPreTouch",
                        "-Dai.djl.offline=true",
                        "-Drlhf.data=" + System.getProperty("rlhf.data"),
                        "-cp",
                        System.getProperty("java.class.path"),
                        MemoryProbe.class.getName(),
                        dir.resolve(batch + "x" + seqLen).toString(),
                        String.valueOf(batch),
                        String.valueOf(seqLen))
                .redirectErrorStream(true)
                .start();
        String growth = null;
        StringBuilder log = new StringBuilder();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                log.append(line).append('\n');
                if (line.startsWith("growth=")) {
                    growth = line.substring("growth=".length());
                }
            }
        }
        assertTrue(process.waitFor() == 0 && growth != null, log.toString());
        return Long.parseLong(growth);
    }
}
