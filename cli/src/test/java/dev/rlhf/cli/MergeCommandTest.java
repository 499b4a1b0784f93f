package dev.rlhf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.rlhf.core.checkpoint.HfCheckpoint;
import dev.rlhf.core.lora.LoraModel;
import dev.rlhf.core.lora.LoraSettings;
import dev.rlhf.core.lora.PeftAdapter;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.LlamaConfig;
import dev.rlhf.core.model.NoGrad;
import dev.rlhf.core.model.TestModels;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ./rlhf merge}: base + adapter folded into one plain checkpoint that computes what the pair computed. */
class MergeCommandTest {

    private static final LlamaConfig CONFIG = TestModels.tiny(40, 4, 2, true);
    private static final long[][] IDS = {{3, 1, 4, 1, 5, 9, 2, 6}, {2, 7, 1, 8, 2, 8, 1, 8}};

    @TempDir
    Path tmp;

    private Path base;
    private Path adapter;

    /** A base checkpoint and a trained adapter on it; the logits of the pair. */
    private float[] baseAndAdapter() {
        base = tmp.resolve("base");
        adapter = tmp.resolve("adapter");
        float[] expected;
        try (LanguageModel lm = LanguageModel.create(CONFIG, 1);
                NDManager m = lm.manager().newSubManager()) {
            HfCheckpoint.save(lm, base, null);
            LoraModel lora = LoraModel.attach(lm, LoraSettings.of(4, 8), 3);
            try (NoGrad noGrad = NoGrad.open()) { // a trained adapter: B no longer zero
                lora.adapterParameters().forEach((name, p) -> {
                    if (name.contains("lora_B")) {
                        NDArray value = m.randomNormal(0f, 0.05f, p.getArray().getShape(), DataType.FLOAT32);
                        p.getArray().set(new NDIndex("..."), value);
                    }
                });
            }
            expected = logits(lm, m);
            PeftAdapter.save(lora, adapter, base.toString());
        }
        return expected;
    }

    @Test
    void theMergedCheckpointComputesWhatBasePlusAdapterComputed() throws Exception {
        float[] expected = baseAndAdapter();
        StringWriter out = new StringWriter();
        CommandLine cli = RlhfCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        Path merged = tmp.resolve("merged");
        assertEquals(
                0,
                cli.execute(
                        "merge",
                        "--model",
                        base.toString(),
                        "--adapter",
                        adapter.toString(),
                        "--out",
                        merged.toString()));
        assertTrue(out.toString().contains("trainable params"), out.toString());
        assertTrue(Files.isRegularFile(merged.resolve("model.safetensors")));
        assertFalse(Files.exists(merged.resolve("adapter_config.json")), "a plain checkpoint, no adapter left");
        try (LanguageModel loaded = HfCheckpoint.load(merged);
                NDManager m = loaded.manager().newSubManager()) {
            float[] actual = logits(loaded, m);
            double worst = 0;
            for (int i = 0; i < expected.length; i++) {
                worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
            }
            assertTrue(worst < 1e-4, "merged logits differ from base + adapter by " + worst);
        }
    }

    @Test
    void bf16AndAShardSizeSaveShardsThatLoadBack() throws Exception {
        float[] expected = baseAndAdapter();
        Path merged = tmp.resolve("merged");
        CommandLine cli = RlhfCli.commandLine();
        cli.setOut(new PrintWriter(new StringWriter(), true));
        String[] args = {
            "merge",
            "--model",
            base.toString(),
            "--adapter",
            adapter.toString(),
            "--out",
            merged.toString(),
            "--dtype",
            "bf16",
            "--max-shard-size",
            "1KB"
        };
        assertEquals(0, cli.execute(args));
        assertTrue(Files.isRegularFile(merged.resolve("model.safetensors.index.json")));
        assertFalse(Files.exists(merged.resolve("model.safetensors")), "sharded, not one file");
        try (Stream<Path> files = Files.list(merged)) {
            assertTrue(files.filter(f -> f.getFileName().toString().matches("model-\\d{5}-of-\\d{5}\\.safetensors"))
                            .count()
                    > 1);
        }
        assertTrue(Files.readString(merged.resolve("config.json")).contains("\"torch_dtype\" : \"bfloat16\""));
        try (LanguageModel loaded = HfCheckpoint.load(merged);
                NDManager m = loaded.manager().newSubManager()) {
            float[] actual = logits(loaded, m);
            double worst = 0;
            for (int i = 0; i < expected.length; i++) {
                worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
            }
            assertTrue(worst > 0 && worst < 5e-2, "bf16 weights round the logits a little, not more: " + worst);
        }
    }

    @Test
    void anUnknownDtypeOrShardSizeIsOneLineNamingTheOption() {
        baseAndAdapter();
        for (String[] bad : new String[][] {{"--dtype", "f16"}, {"--max-shard-size", "5 gigs"}}) {
            StringWriter err = new StringWriter();
            CommandLine cli = RlhfCli.commandLine();
            cli.setErr(new PrintWriter(err, true));
            int code = cli.execute(
                    "merge",
                    "--model",
                    base.toString(),
                    "--adapter",
                    adapter.toString(),
                    "--out",
                    tmp.resolve("o").toString(),
                    bad[0],
                    bad[1]);
            assertEquals(2, code, err.toString());
            assertTrue(err.toString().contains(bad[0]), err.toString());
            assertFalse(Files.exists(tmp.resolve("o")), "nothing written");
        }
    }

    @Test
    void aDirectoryWithoutAnAdapterIsOneReadableLine() {
        StringWriter err = new StringWriter();
        CommandLine cli = RlhfCli.commandLine();
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(
                "merge",
                "--model",
                tmp.toString(),
                "--adapter",
                tmp.resolve("nope").toString(),
                "--out",
                tmp.resolve("o").toString());
        assertEquals(2, code, err.toString());
        assertTrue(err.toString().contains("adapter_config.json"), err.toString());
    }

    private static float[] logits(LanguageModel lm, NDManager m) {
        NDArray ids = m.create(IDS);
        NDArray mask = m.ones(new Shape(IDS.length, IDS[0].length), DataType.INT64);
        return lm.logits(ids, mask).toFloatArray();
    }
}
