package dev.rlhf.core.sft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.core.checkpoint.HfCheckpoint;
import dev.rlhf.core.checkpoint.SafetensorsReader;
import dev.rlhf.core.checkpoint.SaveOptions;
import dev.rlhf.core.config.ConfigException;
import dev.rlhf.core.data.SftData;
import dev.rlhf.core.data.TokenBatch;
import dev.rlhf.core.jobs.JobContext;
import dev.rlhf.core.jobs.JobSpec;
import dev.rlhf.core.jobs.PreparedJob;
import dev.rlhf.core.jobs.StopAt;
import dev.rlhf.core.lora.AdapterConfig;
import dev.rlhf.core.lora.LoraModel;
import dev.rlhf.core.lora.LoraSettings;
import dev.rlhf.core.lora.PeftAdapter;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.runs.MetricsLog;
import dev.rlhf.core.tokenizer.Tokenizer;
import dev.rlhf.core.train.JobAdapter;
import dev.rlhf.core.train.TrainingState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SFT runs with a {@code lora} section: only the adapter trains, checkpoints hold it in PEFT's layout, resume. */
class SftLoraJobTest {

    private static final String LORA = "{r: 8, alpha: 16}";

    @TempDir
    Path dir;

    private final SftJobRunner runner = new SftJobRunner(List.of());

    private PreparedJob job(String body, String... overrides) {
        return runner.prepare(new JobSpec(List.of(), body, List.of(overrides)));
    }

    private static List<Map<String, Object>> metrics(Path run, String key) {
        return new MetricsLog(run.resolve("metrics.jsonl"))
                .read().stream().filter(m -> m.containsKey(key)).toList();
    }

    private static List<Double> evalLosses(Path run) {
        return metrics(run, "eval_loss").stream()
                .map(m -> ((Number) m.get("eval_loss")).doubleValue())
                .toList();
    }

    @Test
    void trainsOnlyTheAdapterAndCheckpointsHoldItInPeftLayout() throws Exception {
        String config = SftFixtures.loraConfig(dir, 96, LORA);
        byte[] baseBefore = sha256(SftFixtures.base(dir).resolve("model.safetensors"));
        PreparedJob job = job(config, "exp=lora", "train.lr=1.0e-2");
        job.run(JobContext.silent());
        Path run = job.runDir();

        List<Double> evals = evalLosses(run);
        System.out.printf("LoRA SFT eval loss: %.4f -> %.4f%n", evals.get(0), evals.get(evals.size() - 1));
        // the base is a random model whose tied embedding stays frozen: the adapter moves the loss, if not by much
        assertTrue(evals.get(evals.size() - 1) < evals.get(0) - 0.1, "eval loss falls: " + evals);

        for (String checkpoint : List.of("checkpoints/best", "checkpoints/last")) {
            Path c = run.resolve(checkpoint);
            Set<String> files;
            try (var list = Files.list(c)) {
                files = list.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
            }
            for (String f : List.of(
                    AdapterConfig.FILE,
                    PeftAdapter.WEIGHTS,
                    "tokenizer.json",
                    TrainingState.FILE,
                    TrainingState.OPTIMIZER_FILE)) {
                assertTrue(files.contains(f), checkpoint + " holds " + f + ": " + files);
            }
            assertFalse(files.contains(HfCheckpoint.WEIGHTS), checkpoint + " holds no base weights: " + files);
            assertFalse(files.contains(HfCheckpoint.CONFIG), checkpoint + ": " + files);
            AdapterConfig adapter = PeftAdapter.readConfig(c);
            assertEquals(SftFixtures.base(dir).toString(), adapter.baseModelNameOrPath());
            assertEquals(LoraSettings.of(8, 16), adapter.settings());
        }
        assertArrayEquals(baseBefore, sha256(SftFixtures.base(dir).resolve("model.safetensors")), "base untouched");

        // the optimizer state covers the adapter alone: two moments per adapter tensor
        Path last = run.resolve("checkpoints/last");
        try (SafetensorsReader adapter = SafetensorsReader.open(last.resolve(PeftAdapter.WEIGHTS));
                SafetensorsReader adam = SafetensorsReader.open(last.resolve(TrainingState.OPTIMIZER_FILE))) {
            assertEquals(2 * 7 * 2, adapter.tensors().size()); // A and B on 7 linears of 2 layers
            Set<String> moments = adapter.tensors().keySet().stream()
                    .flatMap(n -> java.util.stream.Stream.of("exp_avg." + n, "exp_avg_sq." + n))
                    .collect(Collectors.toSet());
            assertEquals(moments, adam.tensors().keySet());
        }

        Map<String, Object> counts = metrics(run, "model/trainable_params").get(0);
        long trainable = ((Number) counts.get("model/trainable_params")).longValue();
        long all = ((Number) counts.get("model/all_params")).longValue();
        System.out.printf("LoRA SFT trainable %d of %d%n", trainable, all);
        assertEquals(2L * 8 * (2 * (64 + 64) + 2 * (64 + 32) + 3 * (64 + 176)), trainable);

        // base + the adapter from disk computes what the trained model computed: its last eval loss
        SftConfig bound =
                runner.compose(new JobSpec(List.of(), config, List.of())).bind(SftConfig.class);
        assertEquals(evals.get(evals.size() - 1), evalLoss(bound, last), 1e-5);
    }

    @Test
    void aKilledLoraRunResumesTheAdapterAndItsOptimizerState() throws Exception {
        String config = SftFixtures.loraConfig(dir, 64, LORA);
        String[] settings = {"train.max_steps=8", "train.save_every=100", "train.lr=1.0e-2"};
        PreparedJob straight = job(config, with(settings, "exp=straight"));
        straight.run(new StopAt(Long.MAX_VALUE));

        PreparedJob killed = job(config, with(settings, "exp=resumed"));
        killed.run(new StopAt(3));
        Path last = killed.runDir().resolve("checkpoints/last");
        assertEquals(3, TrainingState.read(last).step());
        job(config, with(settings, "exp=resumed")).run(new StopAt(Long.MAX_VALUE));
        assertEquals(8, TrainingState.read(last).step());

        // equal adapters need the AdamW moments of steps 1-3 restored: fresh moments would take other steps
        Path straightLast = straight.runDir().resolve("checkpoints/last");
        try (SafetensorsReader a = SafetensorsReader.open(straightLast.resolve(PeftAdapter.WEIGHTS));
                SafetensorsReader b = SafetensorsReader.open(last.resolve(PeftAdapter.WEIGHTS))) {
            assertEquals(a.tensors().keySet(), b.tensors().keySet());
            for (String name : a.tensors().keySet()) {
                assertArrayEquals(a.readFloats(name), b.readFloats(name), 1e-5f, name);
            }
        }
        List<Long> steps = metrics(killed.runDir(), "loss").stream()
                .map(m -> ((Number) m.get("step")).longValue())
                .toList();
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L), steps, "the resumed curve continues the original");
    }

    @Test
    void modelAdapterContinuesAnAdapterTrainedElsewhere() throws Exception {
        String config = SftFixtures.loraConfig(dir, 64, LORA);
        PreparedJob first = job(config, "exp=first", "train.max_steps=4", "train.lr=1.0e-2");
        first.run(JobContext.silent());
        Path adapter = first.runDir().resolve("checkpoints/last");
        double firstEnd =
                evalLosses(first.runDir()).get(evalLosses(first.runDir()).size() - 1);

        String continued = SftFixtures.loraConfig(dir, 64, "null");
        PreparedJob second =
                job(continued, "exp=second", "model.adapter=" + adapter, "train.max_steps=4", "train.lr=1.0e-2");
        second.run(JobContext.silent());
        List<Double> evals = evalLosses(second.runDir());
        assertEquals(firstEnd, evals.get(0), 1e-5, "starts where the adapter left off");
        assertTrue(evals.get(evals.size() - 1) < evals.get(0), "and trains it further: " + evals);
        Path out = second.runDir().resolve("checkpoints/last");
        assertEquals(LoraSettings.of(8, 16), PeftAdapter.readConfig(out).settings());
        assertFalse(Files.exists(out.resolve(HfCheckpoint.WEIGHTS)));
    }

    @Test
    void badLoraSectionsNameTheKey() throws Exception {
        assertKeyed(SftFixtures.loraConfig(dir, 16, "{r: 0, alpha: 16}"), "lora.r: must be at least 1");
        assertKeyed(SftFixtures.loraConfig(dir, 16, "{r: 4, alpha: -1}"), "lora.alpha: ");
        assertKeyed(SftFixtures.loraConfig(dir, 16, "{r: 4, alpha: 8, dropout: 1.5}"), "lora.dropout: ");
        assertKeyed(
                SftFixtures.loraConfig(dir, 16, "{r: 4, alpha: 8, target_modules: [qkv_proj]}"),
                "lora.target_modules: 'qkv_proj'");
        assertKeyed(SftFixtures.loraConfig(dir, 16, "{r: 4}"), "lora.alpha");
        assertKeyed(
                SftFixtures.loraConfig(dir, 16, "{r: 4, alpha: 8, init: gaussian}"),
                "lora.init: 'gaussian' is not supported");
        assertKeyed(SftFixtures.loraConfig(dir, 16, "{r: 4, alpha: 8, rank: 3}"), "lora.rank");
        assertKeyed(SftFixtures.config(dir, 16) + "\nlora: {r: 4, alpha: 8}", "lora: needs model.path");
        assertKeyed(SftFixtures.loraConfig(dir, 16, LORA), "save: a LoRA run saves PEFT adapters", "save.dtype=bf16");
        String both = SftFixtures.loraConfig(dir, 16, LORA);
        ConfigException e = assertThrows(ConfigException.class, () -> job(both, "model.adapter=" + dir));
        assertTrue(e.getMessage().contains("lora: conflicts with model.adapter"), e.getMessage());
        assertKeyed(
                SftFixtures.loraConfig(dir, 16, "null") + "\n",
                "model.adapter: no adapter_config.json",
                "model.adapter=" + dir);
        assertFalse(Files.exists(dir.resolve("runs")), "nothing written");
    }

    private void assertKeyed(String config, String expected, String... overrides) {
        ConfigException e = assertThrows(ConfigException.class, () -> job(config, overrides));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    /** The eval loss of the base with {@code adapterDir} loaded, over the job's own eval batches. */
    @SuppressWarnings("unchecked")
    private static double evalLoss(SftConfig config, Path adapterDir) {
        try (Tokenizer tokenizer = Tokenizer.load(adapterDir);
                LanguageModel lm = HfCheckpoint.load(config.model().path().orElseThrow())) {
            LoraModel lora = PeftAdapter.load(lm, adapterDir);
            SftData data = SftData.load(
                    config.data().specs(),
                    tokenizer,
                    config.seqLen(),
                    false,
                    config.train().seed());
            long pad = tokenizer.padId().orElse(tokenizer.eosId());
            Iterator<TokenBatch> eval = (Iterator<TokenBatch>)
                    (Iterator<?>) data.evalBatcher(config.train().batchSize(), config.packing(), config.seqLen(), pad)
                            .batches(0);
            JobAdapter adapter = new JobAdapter(lora, config.model().path().orElseThrow());
            return new SftTask(lm, Optional.of(adapter), adapterDir, null, SaveOptions.DEFAULT, false)
                    .evaluate(eval)
                    .get("eval_loss");
        }
    }

    private static byte[] sha256(Path file) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
    }

    private static String[] with(String[] settings, String more) {
        String[] all = java.util.Arrays.copyOf(settings, settings.length + 1);
        all[settings.length] = more;
        return all;
    }
}
