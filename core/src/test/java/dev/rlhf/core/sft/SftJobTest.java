package dev.rlhf.core.sft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.nn.Parameter;
import dev.rlhf.core.checkpoint.HfCheckpoint;
import dev.rlhf.core.config.ConfigException;
import dev.rlhf.core.jobs.JobContext;
import dev.rlhf.core.jobs.JobSpec;
import dev.rlhf.core.jobs.PreparedJob;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.runs.MetricsLog;
import dev.rlhf.core.train.TrainingState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole SFT runs on real HH conversations with a tiny model: layout, learning, resume. */
class SftJobTest {

    @TempDir
    Path dir;

    private final SftJobRunner runner = new SftJobRunner(List.of());

    /** Records reports; asks to stop once {@code stopAt} steps were reported. */
    private static final class Recorder implements JobContext {
        final List<Map<String, Object>> points = new ArrayList<>();
        final long stopAt;
        long lastStep;

        Recorder(long stopAt) {
            this.stopAt = stopAt;
        }

        @Override
        public void report(long step, long totalSteps, Map<String, Object> metrics) {
            points.add(metrics);
            lastStep = step;
        }

        @Override
        public boolean cancelled() {
            return lastStep >= stopAt;
        }
    }

    private PreparedJob job(String body, String... overrides) {
        return runner.prepare(new JobSpec(List.of(), body, List.of(overrides)));
    }

    @Test
    void trainsAndLeavesALoadableBestCheckpointAndTheRunFiles() throws Exception {
        PreparedJob job = job(SftFixtures.config(dir, 96), "exp=layout");
        Recorder recorder = new Recorder(Long.MAX_VALUE);
        job.run(recorder);

        Path run = job.runDir();
        assertEquals(dir.resolve("runs/test/layout"), run);
        for (String file : List.of(
                "config.yaml",
                "metrics.jsonl",
                "log.json",
                "checkpoints/last/model.safetensors",
                "checkpoints/last/training_state.json",
                "checkpoints/last/optimizer.safetensors",
                "checkpoints/best/config.json",
                "checkpoints/best/tokenizer.json")) {
            assertTrue(Files.isRegularFile(run.resolve(file)), file);
        }
        try (Stream<Path> samples = Files.list(run.resolve("samples"))) {
            assertTrue(samples.count() >= 2, "samples at the start and at the end");
        }
        List<Map<String, Object>> metrics = new MetricsLog(run.resolve("metrics.jsonl")).read();
        List<Double> evals = metrics.stream()
                .filter(m -> m.containsKey("eval_loss"))
                .map(m -> ((Number) m.get("eval_loss")).doubleValue())
                .toList();
        assertTrue(evals.size() >= 2);
        assertTrue(evals.get(evals.size() - 1) < evals.get(0) - 0.5, "eval loss falls: " + evals);
        Map<String, Object> step =
                metrics.stream().filter(m -> m.containsKey("loss")).findFirst().orElseThrow();
        for (String key : List.of("step", "epoch", "loss", "lr", "grad_norm", "tokens_per_s", "elapsed_s")) {
            assertTrue(step.containsKey(key), key + " in " + step);
        }
        try (LanguageModel best = HfCheckpoint.load(run.resolve("checkpoints/best"))) {
            assertEquals(600, best.config().vocabSize());
        }
    }

    @Test
    void aKilledRunResumesToTheSameWeightsAsAnUninterruptedOne() throws Exception {
        String config = SftFixtures.config(dir, 64);
        String[] settings = {"train.max_steps=8", "train.grad_accum=2", "train.save_every=100", "packing=true"};
        PreparedJob straight = job(config, with(settings, "exp=straight"));
        straight.run(new Recorder(Long.MAX_VALUE));

        PreparedJob killed = job(config, with(settings, "exp=resumed"));
        killed.run(new Recorder(3)); // cancelled after step 3: last/ holds step 3
        assertEquals(
                3,
                TrainingState.read(killed.runDir().resolve("checkpoints/last")).step());
        Recorder rest = new Recorder(Long.MAX_VALUE);
        job(config, with(settings, "exp=resumed")).run(rest);
        assertEquals(
                8,
                TrainingState.read(killed.runDir().resolve("checkpoints/last")).step());

        try (LanguageModel a = HfCheckpoint.load(straight.runDir().resolve("checkpoints/last"));
                LanguageModel b = HfCheckpoint.load(killed.runDir().resolve("checkpoints/last"))) {
            Map<String, Parameter> pb = b.block().hfParameters();
            for (Map.Entry<String, Parameter> e : a.block().hfParameters().entrySet()) {
                assertArrayEquals(
                        e.getValue().getArray().toFloatArray(),
                        pb.get(e.getKey()).getArray().toFloatArray(),
                        1e-5f,
                        e.getKey());
            }
        }
        List<Long> steps = new MetricsLog(killed.runDir().resolve("metrics.jsonl"))
                .read().stream()
                        .filter(m -> m.containsKey("loss"))
                        .map(m -> ((Number) m.get("step")).longValue())
                        .toList();
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L), steps, "the resumed curve continues the original");
    }

    private static String[] with(String[] settings, String more) {
        String[] all = java.util.Arrays.copyOf(settings, settings.length + 1);
        all[settings.length] = more;
        return all;
    }

    @Test
    void saveBf16WithAShardSizeWritesShardedCheckpointsThatLoadBack() throws Exception {
        PreparedJob job = job(SftFixtures.config(dir, 16), "exp=bf16", "save.dtype=bf16", "save.max_shard_size=20KB");
        job.run(new Recorder(Long.MAX_VALUE));
        Path best = job.runDir().resolve("checkpoints/best");
        assertTrue(Files.isRegularFile(best.resolve("model.safetensors.index.json")));
        assertFalse(Files.exists(best.resolve("model.safetensors")));
        try (Stream<Path> files = Files.list(best)) {
            long shards = files.filter(f -> f.getFileName().toString().matches("model-\\d{5}-of-\\d{5}\\.safetensors"))
                    .count();
            assertTrue(shards > 1, shards + " shards");
        }
        assertTrue(Files.readString(best.resolve("config.json")).contains("\"bfloat16\""));
        try (LanguageModel loaded = HfCheckpoint.load(best)) {
            assertEquals(600, loaded.config().vocabSize());
            for (Map.Entry<String, Parameter> p : loaded.block().hfParameters().entrySet()) {
                for (float v : p.getValue().getArray().toFloatArray()) {
                    assertEquals(0, Float.floatToRawIntBits(v) & 0xFFFF, p.getKey() + " holds bfloat16 values");
                }
            }
        }
    }

    @Test
    void badSaveKeysAreNamed() throws Exception {
        String good = SftFixtures.config(dir, 16);
        ConfigException dtype = assertThrows(ConfigException.class, () -> job(good, "save.dtype=f16"));
        assertTrue(dtype.getMessage().contains("save.dtype"), dtype.getMessage());
        ConfigException size = assertThrows(ConfigException.class, () -> job(good, "save.max_shard_size=5 gigs"));
        assertTrue(size.getMessage().contains("save.max_shard_size"), size.getMessage());
        assertTrue(size.getMessage().contains("5GB"), size.getMessage());
        assertFalse(Files.exists(dir.resolve("runs")), "nothing written");
    }

    @Test
    void badConfigsNameTheKeyBeforeAnythingRuns() throws Exception {
        String good = SftFixtures.config(dir, 16);
        ConfigException typo = assertThrows(ConfigException.class, () -> job(good.replace("  lr:", "  lrr:")));
        assertTrue(typo.getMessage().contains("train.lrr"), typo.getMessage());
        ConfigException type = assertThrows(ConfigException.class, () -> job(good.replace("3.0e-3", "fast")));
        assertTrue(type.getMessage().contains("train.lr"), type.getMessage());
        ConfigException missing =
                assertThrows(ConfigException.class, () -> job(good.replace("hh-harmless-pairs", "no-such-file")));
        assertTrue(missing.getMessage().contains("data.datasets[0].path"), missing.getMessage());
    }

    @Test
    void aModelWithoutChatTemplateIsABadRequestBeforeARunDirectoryExists() throws Exception {
        Path bare = Files.createDirectories(dir.resolve("bare-tokenizer"));
        Files.copy(SftFixtures.tokenizer(dir).resolve("tokenizer.json"), bare.resolve("tokenizer.json"));
        String config =
                SftFixtures.config(dir, 16).replace(SftFixtures.tokenizer(dir).toString(), bare.toString());
        ConfigException e = assertThrows(ConfigException.class, () -> job(config));
        assertTrue(e.getMessage().startsWith("model.tokenizer: "), e.getMessage());
        assertTrue(e.getMessage().contains("no chat template"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("runs")), "nothing written");
    }
}
