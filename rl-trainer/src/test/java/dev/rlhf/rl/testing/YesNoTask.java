package dev.rlhf.rl.testing;

import dev.rlhf.core.jobs.JobContext;
import dev.rlhf.core.jobs.JobSpec;
import dev.rlhf.core.jobs.PreparedJob;
import dev.rlhf.core.rm.RmJobRunner;
import dev.rlhf.core.sft.SftJobRunner;
import dev.rlhf.service.jobs.testing.TinyHhJob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A task a tiny policy can learn by PPO: questions answered "yes" or "no". SFT teaches both answers (one in five
 * says yes);
 * the reward model is trained to prefer "yes"; PPO should then move the policy towards "yes".
 */
public final class YesNoTask {

    public static final Path ROOT = TinyHhJob.ROOT;
    private static final String[] WORDS = {
        "is", "the", "sky", "blue", "can", "birds", "fly", "do", "you", "like", "tea", "should", "we", "go", "home",
        "will", "it", "rain", "are", "cats", "kind", "was", "that", "good", "may", "I", "stay", "does", "this", "work"
    };

    public final Path dir;
    public final Path policy;
    public final Path rewardModel;
    public final Path prompts;

    private YesNoTask(Path dir, Path policy, Path rewardModel, Path prompts) {
        this.dir = dir;
        this.policy = policy;
        this.rewardModel = rewardModel;
        this.prompts = prompts;
    }

    /** Writes the data, then trains the SFT policy and the reward model (about half a minute on two cores). */
    public static YesNoTask prepare(Path dir) throws Exception {
        Random random = new Random(5);
        List<String> sft = new ArrayList<>();
        List<String> pairs = new ArrayList<>();
        List<String> prompts = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            String question = question(random);
            String answer = i % 5 == 0 ? "yes" : "no"; // the SFT policy mostly says no
            sft.add("{\"messages\": [{\"role\": \"user\", \"content\": \"" + question + "\"}, "
                    + "{\"role\": \"assistant\", \"content\": \"" + answer + "\"}]}");
            pairs.add("{\"prompt\": \"" + question + "\", \"chosen\": \"yes\", \"rejected\": \"no\"}");
            prompts.add("{\"prompt\": \"" + question + "\"}");
        }
        Files.createDirectories(dir);
        Files.write(dir.resolve("sft.jsonl"), sft);
        Files.write(dir.resolve("pairs.jsonl"), pairs);
        Files.write(dir.resolve("prompts.jsonl"), prompts);
        Path policy = train(new SftJobRunner(List.of()), common(dir, "sft", "sft.jsonl", "chat", 120, "3.0e-3"));
        String rm = common(dir, "rm", "pairs.jsonl", "pairs", 60, "1.0e-3")
                .replace(
                        "model:\n  init: " + ROOT.resolve("configs/model/tiny.json") + "\n  tokenizer: "
                                + ROOT.resolve("configs/tokenizer/shakespeare-2k"),
                        "model:\n  path: " + policy);
        Path rewardModel = train(new RmJobRunner(List.of()), rm);
        return new YesNoTask(dir, policy, rewardModel, dir.resolve("prompts.jsonl"));
    }

    private static String question(Random random) {
        StringBuilder q = new StringBuilder();
        int n = 3 + random.nextInt(3);
        for (int w = 0; w < n; w++) {
            q.append(w == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
        }
        return q.append('?').toString();
    }

    private static String common(Path dir, String project, String data, String format, int steps, String lr) {
        return String.join(
                "\n",
                "model:",
                "  init: " + ROOT.resolve("configs/model/tiny.json"),
                "  tokenizer: " + ROOT.resolve("configs/tokenizer/shakespeare-2k"),
                "data:",
                "  datasets:",
                "    - path: " + dir.resolve(data),
                "      format: " + format,
                "  split: 16",
                "seq_len: 48",
                "train:",
                "  batch_size: 8",
                "  lr: " + lr,
                "  warmup_steps: 5",
                "  max_steps: " + steps,
                "  epochs: 10",
                "  log_every: 10",
                "output_dir: " + dir.resolve("runs"),
                "project: " + project,
                "exp: yes-no");
    }

    private static Path train(dev.rlhf.core.jobs.JobRunner runner, String config) throws Exception {
        PreparedJob job = runner.prepare(new JobSpec(List.of(), config, List.of()));
        job.run(JobContext.silent());
        return job.runDir().resolve("checkpoints").resolve("best");
    }

    /** A PPO job config over this task, embedded broker and scoring. */
    public String ppoConfig(String exp, int iterations) throws IOException {
        return String.join(
                "\n",
                "policy:",
                "  path: " + policy,
                "  reward_model: " + rewardModel,
                "prompts:",
                "  path: " + prompts,
                "generation:",
                "  max_new_tokens: 4",
                "ppo:",
                "  iterations: " + iterations,
                "  rollouts: 16",
                "  minibatch_size: 8",
                "  epochs: 2",
                "  lr: 2.0e-4",
                "  critic_lr: 5.0e-4",
                "kl:",
                "  coef: 0.02",
                "output_dir: " + dir.resolve("runs"),
                "exp: " + exp);
    }
}
