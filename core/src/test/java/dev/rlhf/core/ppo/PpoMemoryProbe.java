package dev.rlhf.core.ppo;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.rlhf.core.checkpoint.HfCheckpoint;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.rollout.Prompt;
import dev.rlhf.core.rollout.PromptTask;
import dev.rlhf.core.rollout.Rollout;
import dev.rlhf.core.rollout.RolloutMaker;
import dev.rlhf.core.rollout.Scorer;
import dev.rlhf.core.tokenizer.ChatLayout;
import dev.rlhf.core.tokenizer.Tokenizer;
import dev.rlhf.core.train.MemoryProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Runs one real PPO iteration of {@code role: all} in a fresh JVM and prints how far its resident set grew, measured
 * as {@link MemoryProbe} does: a rollout worker's own policy copy samples {@code ppo.rollouts} responses in batches of
 * {@code ppo.minibatch_size} (the worker's {@link RolloutMaker}: chat template, KV-cached generation, old log-probs),
 * then the learner ({@link PpoTrainer}: policy, critic, both AdamWs) trains on them while the worker's copy stays
 * loaded, as in the job's one process. What runs elsewhere in a real job is left out, as {@link PpoMemory} leaves it
 * out: the reference and reward models (the gateway's process; here the reference log-probs are zeros and the rewards
 * random) and the Kafka broker. Arguments: the PPO config file, the policy checkpoint.
 */
public final class PpoMemoryProbe {
    private PpoMemoryProbe() {}

    public static void main(String[] args) throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            manager.ones(new Shape(4, 4)).matMul(manager.ones(new Shape(4, 4))).sum(); // load the engine first
        }
        PpoConfig config = PpoConfig.loader()
                .compose(List.of(), List.of(), Files.readString(Path.of(args[0])), args[0], List.of())
                .bind(PpoConfig.class);
        Path policyDir = Path.of(args[1]);
        long before = MemoryProbe.status("VmRSS");
        Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        try (Tokenizer tokenizer = Tokenizer.load(policyDir);
                LanguageModel worker = HfCheckpoint.load(policyDir);
                PpoTrainer learner = PpoTrainer.start(config)) {
            RolloutMaker maker = new RolloutMaker(
                    ChatLayout.of(tokenizer),
                    new ZeroReference(),
                    config.generation(),
                    config.prompts().maxPromptTokens());
            Random random = new Random(config.seed());
            List<Rollout> rollouts = new ArrayList<>();
            int minibatch = config.ppo().minibatchSize();
            for (int from = 0; from < config.ppo().rollouts(); from += minibatch) {
                List<PromptTask> tasks = new ArrayList<>();
                for (int i = from; i < from + minibatch; i++) {
                    tasks.add(new PromptTask(
                            0,
                            i,
                            Prompt.of(("to be or not to be, that is the question " + i)
                                    .repeat(config.prompts().maxPromptTokens()))));
                }
                for (Rollout r : maker.make(worker, 0, tasks, from).rollouts()) {
                    rollouts.add(new Rollout(
                            r.iteration(),
                            r.index(),
                            r.policyVersion(),
                            r.promptIds(),
                            r.responseIds(),
                            r.oldLogprobs(),
                            r.refLogprobs(),
                            new float[] {(float) random.nextGaussian()}));
                }
            }
            learner.train(rollouts, config.seed());
        }
        System.out.println("growth=" + (MemoryProbe.status("VmHWM") - before));
    }

    /** The reference model's log-probs of a real job come from the gateway's process; zeros here. */
    private static final class ZeroReference implements Scorer {
        @Override
        public List<float[]> referenceLogprobs(List<long[]> sequences) {
            return sequences.stream().map(s -> new float[s.length - 1]).toList();
        }

        @Override
        public float[] rewards(List<long[]> sequences) {
            return new float[sequences.size()];
        }
    }
}
