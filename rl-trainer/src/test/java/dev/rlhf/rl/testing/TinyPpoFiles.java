package dev.rlhf.rl.testing;

import dev.rlhf.core.checkpoint.HfCheckpoint;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.LlamaConfig;
import dev.rlhf.core.model.RewardModel;
import dev.rlhf.core.ppo.PpoConfig;
import dev.rlhf.service.jobs.testing.TinyHhJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The files of a tiny PPO job that needs no training first: a random policy and reward model of the
 * {@code configs/model/tiny.json} shape with the shipped 2k tokenizer, and 32 prompts. Fast PPO mechanics tests use
 * them; whether PPO learns is {@link PpoJobResourceTest}'s business.
 */
public final class TinyPpoFiles {

    public static final Path ROOT = TinyHhJob.ROOT;

    public final Path dir;
    public final Path policy;
    public final Path rewardModel;
    public final Path prompts;

    private TinyPpoFiles(Path dir) {
        this.dir = dir;
        this.policy = dir.resolve("policy");
        this.rewardModel = dir.resolve("rm");
        this.prompts = dir.resolve("prompts.jsonl");
    }

    public static TinyPpoFiles write(Path dir) throws Exception {
        TinyPpoFiles files = new TinyPpoFiles(dir);
        var json = LlamaConfig.readTree(ROOT.resolve("configs/model/tiny.json"));
        json.put("vocab_size", 2000);
        LlamaConfig model = LlamaConfig.parse(json, ROOT.resolve("configs/model/tiny.json"));
        Path tokenizer = ROOT.resolve("configs/tokenizer/shakespeare-2k");
        try (LanguageModel lm = LanguageModel.create(model, 1)) {
            HfCheckpoint.save(lm, files.policy, tokenizer);
        }
        try (RewardModel reward = RewardModel.withNewHead(LanguageModel.create(model, 2), 3)) {
            HfCheckpoint.saveRewardModel(reward, files.rewardModel, tokenizer, 1);
        }
        List<String> prompts = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            prompts.add("{\"prompt\": \"question number " + i + "?\"}");
        }
        Files.write(files.prompts, prompts);
        return files;
    }

    /** A job config over these files, {@code ppo} settings given inline, more lines appended. */
    public String config(int iterations, int rollouts, String... more) {
        List<String> lines = new ArrayList<>(List.of(
                "policy: {path: " + policy + ", reward_model: " + rewardModel + "}",
                "prompts: {path: " + prompts + "}",
                "generation: {max_new_tokens: 3}",
                "ppo: {iterations: " + iterations + ", rollouts: " + rollouts + ", minibatch_size: 4, epochs: 1}",
                "output_dir: " + dir.resolve("runs")));
        lines.addAll(List.of(more));
        return String.join("\n", lines);
    }

    /** {@code config} composed over the defaults, then {@code overrides} ({@code key=value}, as {@code --set}). */
    public PpoConfig bind(String config, String... overrides) {
        return PpoConfig.loader()
                .compose(List.of(), List.of(), config, "test", List.of(overrides))
                .bind(PpoConfig.class);
    }
}
