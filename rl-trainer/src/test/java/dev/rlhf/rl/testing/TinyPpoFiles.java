package dev.rlhf.rl.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.rlhf.core.checkpoint.HfCheckpoint;
import dev.rlhf.core.lora.LoraModel;
import dev.rlhf.core.lora.LoraSettings;
import dev.rlhf.core.lora.PeftAdapter;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.LlamaConfig;
import dev.rlhf.core.model.NoGrad;
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

    /** Qwen3's real tokenizer and chat template, a test resource of core (Apache-2.0). */
    public static final Path QWEN3_TOKENIZER = ROOT.resolve("core/src/test/resources/tokenizers/qwen3");

    private static final Path TINY_2K = ROOT.resolve("configs/tokenizer/shakespeare-2k");

    public static TinyPpoFiles write(Path dir) throws Exception {
        return write(dir, TINY_2K, 2000);
    }

    /**
     * A policy of the tiny shape carrying Qwen3's tokenizer and chat template (vocabulary 151,669), and a reward model
     * of the project's own tokenizer and template: the reward model must read the rollouts re-rendered in its own.
     */
    public static TinyPpoFiles writeQwen3Policy(Path dir) throws Exception {
        TinyPpoFiles files = write(dir, TINY_2K, 2000);
        var json = LlamaConfig.readTree(ROOT.resolve("configs/model/tiny.json"));
        json.put("vocab_size", 151_669);
        json.put("bos_token_id", 151_643); // <|endoftext|>
        json.put("eos_token_id", 151_645); // <|im_end|>, as Qwen3's config.json says
        LlamaConfig qwen3 = LlamaConfig.parse(json, ROOT.resolve("configs/model/tiny.json"));
        try (LanguageModel lm = LanguageModel.create(qwen3, 1)) {
            HfCheckpoint.save(lm, files.policy, QWEN3_TOKENIZER);
        }
        return files;
    }

    private static LlamaConfig tiny(int vocab) {
        var json = LlamaConfig.readTree(ROOT.resolve("configs/model/tiny.json"));
        json.put("vocab_size", vocab);
        return LlamaConfig.parse(json, ROOT.resolve("configs/model/tiny.json"));
    }

    private static TinyPpoFiles write(Path dir, Path tokenizer, int vocab) throws Exception {
        TinyPpoFiles files = new TinyPpoFiles(dir);
        LlamaConfig model = tiny(vocab);
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

    /**
     * An SFT LoRA adapter on {@link #policy} (PEFT layout, r=4 on every linear) in {@code dir/sft-adapter}, with A and
     * B drawn at random so that it changes the model's outputs clearly, as a trained one does.
     */
    public Path writeSftAdapter() {
        Path out = dir.resolve("sft-adapter");
        try (LanguageModel lm = HfCheckpoint.load(policy);
                NDManager m = lm.manager().newSubManager()) {
            LoraModel adapter = LoraModel.attach(lm, LoraSettings.of(4, 8), 11);
            try (NoGrad noGrad = NoGrad.open()) {
                adapter.adapterParameters().values().forEach(p -> {
                    NDArray a = p.getArray();
                    a.addi(m.randomNormal(0f, 0.3f, a.getShape(), DataType.FLOAT32));
                });
            }
            PeftAdapter.save(adapter, out, policy.toString());
        }
        return out;
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
