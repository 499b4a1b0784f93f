package dev.rlhf.core.rm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.nn.Parameter;
import dev.rlhf.core.checkpoint.HfCheckpoint;
import dev.rlhf.core.checkpoint.RewardStats;
import dev.rlhf.core.config.ConfigException;
import dev.rlhf.core.jobs.JobSpec;
import dev.rlhf.core.jobs.PreparedJob;
import dev.rlhf.core.jobs.StopAt;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.RewardModel;
import dev.rlhf.core.runs.MetricsLog;
import dev.rlhf.core.tokenizer.ChatLayout;
import dev.rlhf.core.tokenizer.Tokenizer;
import dev.rlhf.core.train.ModelInit;
import dev.rlhf.core.train.TrainingState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole reward-model runs with a fresh tiny model: learning (HH and a synthetic preference), stats, resume. */
class RmJobTest {

    @TempDir
    Path dir;

    private final RmJobRunner runner = new RmJobRunner(List.of());

    private PreparedJob job(String body, String... overrides) {
        return runner.prepare(new JobSpec(List.of(), body, List.of(overrides)));
    }

    private static List<Double> evalAccuracies(Path run) {
        return new MetricsLog(run.resolve("metrics.jsonl"))
                .read().stream()
                        .filter(m -> m.containsKey("eval_accuracy"))
                        .map(m -> ((Number) m.get("eval_accuracy")).doubleValue())
                        .toList();
    }

    @Test
    void trainingOnHhPairsRaisesHeldOutAccuracyAboveTheUntrainedModels() throws Exception {
        PreparedJob job = job(
                RmFixtures.config(dir, RmFixtures.hhPairs(), "hh", 600),
                "exp=hh",
                "train.epochs=2",
                "train.batch_size=16",
                "train.lr=1.0e-3",
                "train.warmup_steps=20");
        job.run(new StopAt(Long.MAX_VALUE));
        List<Double> accuracies = evalAccuracies(job.runDir());
        double untrained = accuracies.get(0);
        double trained = accuracies.get(accuracies.size() - 1);
        System.out.printf("HH held-out accuracy (600 pairs): untrained %.4f, trained %.4f%n", untrained, trained);
        // One standard error of an accuracy near 0.5 on 600 pairs is 0.02.
        assertTrue(trained >= untrained + 0.03, "accuracy rises: " + accuracies);
        assertTrue(trained >= 0.55, "above chance by more than twice the noise: " + accuracies);
    }

    @Test
    void learnsAClearlyLearnablePreferenceFromPairsAndRankedTriples() throws Exception {
        String config = RmFixtures.config(dir, SyntheticPreferences.pairs(dir, 160, 1), "pairs", 32)
                + "\nmargin_column: margin\n";
        config = config.replace(
                "      split: 32",
                "      split: 32\n    - path: " + SyntheticPreferences.ranked(dir, 80, 2) + "\n      format: ranked\n"
                        + "      split: 16");
        PreparedJob job = job(config, "exp=synthetic", "train.epochs=2", "seq_len=64");
        job.run(new StopAt(Long.MAX_VALUE));
        List<Double> accuracies = evalAccuracies(job.runDir());
        System.out.printf(
                "synthetic held-out accuracy: untrained %.4f, trained %.4f%n",
                accuracies.get(0), accuracies.get(accuracies.size() - 1));
        assertTrue(accuracies.get(accuracies.size() - 1) >= 0.95, "learnt: " + accuracies);

        Path best = job.runDir().resolve("checkpoints/best");
        RewardStats stats = RewardStats.read(best).orElseThrow();
        assertEquals(128 + 64, stats.count(), "the best reply of every training example");
        assertTrue(stats.std() > 0.1, "a trained model spreads its rewards: " + stats);
        try (RewardModel rm = HfCheckpoint.loadRewardModel(best, null);
                Tokenizer tokenizer = Tokenizer.load(best)) {
            String prompt = "Tell me about the sea.";
            float[] rewards = new RewardScorer(rm, 1, 2)
                    .score(List.of(
                            ChatLayout.of(tokenizer).reply(prompt, "Of course. Here is what I know about the sea."),
                            ChatLayout.of(tokenizer).reply(prompt, "Stop asking me about the sea, fool.")));
            assertTrue(
                    rewards[0] > rewards[1],
                    "the best checkpoint prefers the helpful reply: " + rewards[0] + " vs " + rewards[1]);
        }
        assertTrue(RewardStats.read(job.runDir().resolve("checkpoints/last")).isPresent());
    }

    @Test
    void aKilledJobResumesToTheSameWeightsAsAnUninterruptedOne() throws Exception {
        String config = RmFixtures.config(dir, SyntheticPreferences.pairs(dir, 48, 3), "pairs", 8);
        String[] settings = {
            "train.epochs=2",
            "train.max_steps=6",
            "train.grad_accum=2",
            "train.batch_size=4",
            "train.log_every=1",
            "seq_len=48"
        };
        PreparedJob straight = job(config, with(settings, "exp=straight"));
        straight.run(new StopAt(Long.MAX_VALUE));

        PreparedJob killed = job(config, with(settings, "exp=resumed"));
        killed.run(new StopAt(2));
        Path last = killed.runDir().resolve("checkpoints/last");
        assertEquals(2, TrainingState.read(last).step());
        assertTrue(RewardStats.read(last).isEmpty(), "a cancelled job leaves the stats to the resumed one");
        job(config, with(settings, "exp=resumed")).run(new StopAt(Long.MAX_VALUE));
        assertEquals(6, TrainingState.read(last).step());
        assertTrue(RewardStats.read(last).isPresent());

        try (RewardModel a = HfCheckpoint.loadRewardModel(straight.runDir().resolve("checkpoints/last"), null);
                RewardModel b = HfCheckpoint.loadRewardModel(last, null)) {
            Map<String, Parameter> pb = b.hfParameters();
            for (Map.Entry<String, Parameter> e : a.hfParameters().entrySet()) {
                assertArrayEquals(
                        e.getValue().getArray().toFloatArray(),
                        pb.get(e.getKey()).getArray().toFloatArray(),
                        1e-5f,
                        e.getKey());
            }
        }
        assertEquals(
                RewardStats.read(straight.runDir().resolve("checkpoints/last"))
                        .orElseThrow()
                        .mean(),
                RewardStats.read(last).orElseThrow().mean(),
                1e-5);
    }

    @Test
    void startsFromACausalLmCheckpointWithANewHeadAndContinuesAnRmDirectory() throws Exception {
        Path tokenizerDir = RmFixtures.ROOT.resolve("configs/tokenizer/shakespeare-2k");
        Path sft = dir.resolve("sft");
        try (Tokenizer tokenizer = Tokenizer.load(tokenizerDir);
                LanguageModel lm = ModelInit.fresh(RmFixtures.ROOT.resolve("configs/model/tiny.json"), tokenizer, 5)) {
            HfCheckpoint.save(lm, sft, tokenizerDir);
        }
        Path data = SyntheticPreferences.pairs(dir, 24, 4);
        PreparedJob fromSft =
                job(RmFixtures.config(dir, sft, data, "pairs", 8), "exp=from-sft", "train.max_steps=2", "seq_len=48");
        fromSft.run(new StopAt(Long.MAX_VALUE));
        Path rm = fromSft.runDir().resolve("checkpoints/last");
        try (RewardModel loaded = HfCheckpoint.loadRewardModel(rm, null)) {
            assertTrue(loaded.hfParameters().containsKey("score.weight"));
        }
        PreparedJob continued =
                job(RmFixtures.config(dir, rm, data, "pairs", 8), "exp=continued", "train.max_steps=1", "seq_len=48");
        continued.run(new StopAt(Long.MAX_VALUE));
        List<Map<String, Object>> before = evals(fromSft.runDir());
        List<Map<String, Object>> after = evals(continued.runDir());
        assertEquals(
                ((Number) before.get(before.size() - 1).get("eval_loss")).doubleValue(),
                ((Number) after.get(0).get("eval_loss")).doubleValue(),
                1e-6,
                "the continued job starts from the saved reward model, head included");
    }

    private static List<Map<String, Object>> evals(Path run) {
        return new MetricsLog(run.resolve("metrics.jsonl"))
                .read().stream().filter(m -> m.containsKey("eval_loss")).toList();
    }

    private static String[] with(String[] settings, String more) {
        List<String> all = new ArrayList<>(List.of(settings));
        all.add(more);
        return all.toArray(String[]::new);
    }

    @Test
    void badConfigsNameTheKeyBeforeAnythingRuns() {
        String good = RmFixtures.config(dir, RmFixtures.hhPairs(), "hh", 16);
        ConfigException typo = assertThrows(ConfigException.class, () -> job(good, "margin_colum=score"));
        assertTrue(typo.getMessage().contains("margin_column"), typo.getMessage());
        ConfigException format =
                assertThrows(ConfigException.class, () -> job(good.replace("format: hh", "format: pair")));
        assertTrue(format.getMessage().contains("data.datasets.0.format"), format.getMessage());
        ConfigException missing =
                assertThrows(ConfigException.class, () -> job(good.replace("hh-harmless-pairs", "no-such-file")));
        assertTrue(missing.getMessage().contains("data.datasets[0].path"), missing.getMessage());
        assertTrue(Files.notExists(dir.resolve("runs")), "nothing was created");
    }
}
