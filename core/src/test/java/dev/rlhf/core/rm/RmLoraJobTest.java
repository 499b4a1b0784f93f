package dev.rlhf.core.rm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.core.checkpoint.HfCheckpoint;
import dev.rlhf.core.checkpoint.RewardStats;
import dev.rlhf.core.checkpoint.SafetensorsReader;
import dev.rlhf.core.config.ConfigException;
import dev.rlhf.core.jobs.JobSpec;
import dev.rlhf.core.jobs.PreparedJob;
import dev.rlhf.core.jobs.StopAt;
import dev.rlhf.core.lora.AdapterConfig;
import dev.rlhf.core.lora.LoraModel;
import dev.rlhf.core.lora.PeftAdapter;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.RewardModel;
import dev.rlhf.core.runs.MetricsLog;
import dev.rlhf.core.tokenizer.Tokenizer;
import dev.rlhf.core.train.ModelInit;
import dev.rlhf.core.train.TrainingState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reward-model runs with a {@code lora} section: adapter and score head train, and are all a checkpoint holds. */
class RmLoraJobTest {

    private static final String SCORE = LoraModel.PREFIX + "score.weight";

    @TempDir
    Path dir;

    private final RmJobRunner runner = new RmJobRunner(List.of());

    /** A fresh tiny causal LM saved with the shipped tokenizer: the frozen backbone. */
    private Path base() throws Exception {
        Path tokenizerDir = RmFixtures.ROOT.resolve("configs/tokenizer/shakespeare-2k");
        Path out = dir.resolve("base");
        try (Tokenizer tokenizer = Tokenizer.load(tokenizerDir);
                LanguageModel lm = ModelInit.fresh(RmFixtures.ROOT.resolve("configs/model/tiny.json"), tokenizer, 5)) {
            HfCheckpoint.save(lm, out, tokenizerDir);
        }
        return out;
    }

    private String config(int rows, int eval) throws Exception {
        return RmFixtures.config(dir, base(), SyntheticPreferences.pairs(dir, rows, 1), "pairs", eval)
                + "\nlora: {r: 8, alpha: 16}\n";
    }

    private PreparedJob job(String body, String... overrides) {
        return runner.prepare(new JobSpec(List.of(), body, List.of(overrides)));
    }

    @Test
    void trainsAdapterAndHeadAndCheckpointsHoldOnlyThem() throws Exception {
        String config = config(160, 32);
        PreparedJob job = job(config, "exp=lora", "train.epochs=2", "seq_len=64", "train.lr=1.0e-2");
        job.run(new StopAt(Long.MAX_VALUE));
        Path run = job.runDir();

        List<Double> accuracies = new MetricsLog(run.resolve("metrics.jsonl"))
                .read().stream()
                        .filter(m -> m.containsKey("eval_accuracy"))
                        .map(m -> ((Number) m.get("eval_accuracy")).doubleValue())
                        .toList();
        System.out.printf(
                "LoRA RM held-out accuracy: %.4f -> %.4f%n", accuracies.get(0), accuracies.get(accuracies.size() - 1));
        assertTrue(accuracies.size() >= 3, "at the start and after each epoch: " + accuracies);
        assertTrue(accuracies.stream().allMatch(a -> a >= 0 && a <= 1), accuracies.toString());
        assertTrue(accuracies.get(accuracies.size() - 1) > accuracies.get(0), "learns: " + accuracies);

        for (String checkpoint : List.of("checkpoints/best", "checkpoints/last")) {
            Path c = run.resolve(checkpoint);
            assertFalse(Files.exists(c.resolve(HfCheckpoint.WEIGHTS)), checkpoint + " holds no base weights");
            assertTrue(RewardStats.read(c).isPresent(), checkpoint + " has reward_stats.json");
            AdapterConfig adapter = PeftAdapter.readConfig(c);
            assertEquals(LoraModel.TaskType.SEQ_CLS, adapter.taskType());
            assertEquals(List.of("score"), adapter.modulesToSave());
            try (SafetensorsReader weights = SafetensorsReader.open(c.resolve(PeftAdapter.WEIGHTS));
                    SafetensorsReader adam = SafetensorsReader.open(c.resolve(TrainingState.OPTIMIZER_FILE))) {
                assertEquals(2 * 7 * 2 + 1, weights.tensors().size(), "A and B of 14 linears, and the head");
                assertTrue(weights.tensors().containsKey(SCORE));
                assertEquals(2 * weights.tensors().size(), adam.tensors().size(), "AdamW state for those alone");
            }
        }

        // the head trained: base + best's adapter scores with best's head, not the seeded new one
        try (RewardModel fresh = HfCheckpoint.loadRewardModel(base(), 7L);
                RewardModel loaded = HfCheckpoint.loadRewardModel(base(), 7L)) {
            PeftAdapter.load(loaded, run.resolve("checkpoints/best"));
            float[] before = fresh.head().weight().getArray().toFloatArray();
            float[] after = loaded.head().weight().getArray().toFloatArray();
            assertFalse(java.util.Arrays.equals(before, after), "the score head trained");
        }
    }

    @Test
    void aKilledLoraJobResumesAdapterAndHeadFromLast() throws Exception {
        String config = config(48, 8);
        String[] settings = {
            "train.epochs=2",
            "train.max_steps=6",
            "train.batch_size=4",
            "train.log_every=1",
            "seq_len=48",
            "train.lr=1.0e-2"
        };
        PreparedJob straight = job(config, with(settings, "exp=straight"));
        straight.run(new StopAt(Long.MAX_VALUE));
        PreparedJob killed = job(config, with(settings, "exp=resumed"));
        killed.run(new StopAt(2));
        Path last = killed.runDir().resolve("checkpoints/last");
        assertEquals(2, TrainingState.read(last).step());
        job(config, with(settings, "exp=resumed")).run(new StopAt(Long.MAX_VALUE));
        assertEquals(6, TrainingState.read(last).step());
        try (SafetensorsReader a = SafetensorsReader.open(
                        straight.runDir().resolve("checkpoints/last").resolve(PeftAdapter.WEIGHTS));
                SafetensorsReader b = SafetensorsReader.open(last.resolve(PeftAdapter.WEIGHTS))) {
            assertEquals(a.tensors().keySet(), b.tensors().keySet());
            for (String name : a.tensors().keySet()) {
                assertArrayEquals(a.readFloats(name), b.readFloats(name), 1e-5f, name);
            }
        }
    }

    @Test
    void aCausalLmAdapterIsNotARewardModelAdapter() throws Exception {
        Path adapter = Files.createDirectories(dir.resolve("clm-adapter"));
        Files.writeString(
                adapter.resolve(AdapterConfig.FILE),
                "{\"peft_type\": \"LORA\", \"task_type\": \"CAUSAL_LM\", \"r\": 4, \"lora_alpha\": 8,"
                        + " \"target_modules\": [\"q_proj\"]}");
        String config = RmFixtures.config(dir, base(), SyntheticPreferences.pairs(dir, 8, 1), "pairs", 2);
        ConfigException e = assertThrows(ConfigException.class, () -> job(config, "model.adapter=" + adapter));
        assertTrue(e.getMessage().startsWith("model.adapter: task_type CAUSAL_LM"), e.getMessage());
    }

    private static String[] with(String[] settings, String more) {
        List<String> all = new ArrayList<>(List.of(settings));
        all.add(more);
        return all.toArray(String[]::new);
    }
}
