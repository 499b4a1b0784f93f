package dev.rlhf.core.ppo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.core.checkpoint.HfCheckpoint;
import dev.rlhf.core.config.ModelConfig;
import dev.rlhf.core.lora.LoraSettings;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.LlamaConfig;
import dev.rlhf.core.model.TestModels;
import dev.rlhf.core.train.MemoryEstimate;
import dev.rlhf.core.train.ModelInit;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PpoMemoryTest {

    private static final LlamaConfig MODEL = TestModels.tiny(2000, 4, 2, true);

    private static PpoConfig bind(String... overrides) {
        return PpoConfig.loader()
                .compose(
                        List.of(),
                        List.of(),
                        "policy: {path: sft, reward_model: rm}\nprompts: {path: p.jsonl, max_prompt_tokens: 48}\n"
                                + "generation: {max_new_tokens: 16}\nppo: {rollouts: 32, minibatch_size: 8}\n",
                        "test",
                        List.of(overrides))
                .bind(PpoConfig.class);
    }

    @Test
    void eachRoleCountsWhatItsProcessHolds() {
        int length = 48 + 16 + PpoMemory.TEMPLATE_TOKENS;
        long minibatchLogits = 4L * 8 * 16 * MODEL.vocabSize(); // (B, N, V) floats: the head sees the 16 responses
        long iterationLogits = 4L * 32 * 16 * MODEL.vocabSize();
        MemoryEstimate generator = MemoryEstimate.inference(MODEL, 8, length);
        MemoryEstimate worker = new MemoryEstimate( // a policy copy, its KV cache, the old log-probs' two arrays
                generator.weights(), 0, generator.activations(), generator.attention(), 2 * minibatchLogits);
        MemoryEstimate learner = MemoryEstimate.training(MODEL, 8, length, false) // no (B, T, V) head over T
                .plus(new MemoryEstimate(0, 0, 0, 0, (3 + 3) * minibatchLogits + 2 * iterationLogits));
        MemoryEstimate critic = MemoryEstimate.training(MODEL, 8, length, false);

        assertEquals(
                worker.plus(worker).total(),
                PpoMemory.estimate(bind("role=worker", "kafka.workers=2"), MODEL, Optional.empty())
                        .total(),
                "two workers: two policy copies with their KV caches and logits");
        assertEquals(
                learner.plus(critic).total(),
                PpoMemory.estimate(bind("role=learner"), MODEL, Optional.of(MODEL))
                        .total());
        assertEquals(
                learner.plus(critic).plus(worker).total(),
                PpoMemory.estimate(bind(), MODEL, Optional.of(MODEL)).total(),
                "role all: the learner, its critic and one worker in one process");
    }

    @Test
    void loraAndBiggerBatchesMoveTheEstimateTheWayTheyMoveMemory() {
        long full = PpoMemory.estimate(bind(), MODEL, Optional.empty()).total();
        long lora = PpoMemory.estimate(bind("lora={r: 8, alpha: 16}"), MODEL, Optional.empty())
                .total();
        long wide = PpoMemory.estimate(bind("ppo.minibatch_size=32"), MODEL, Optional.empty())
                .total();
        assertTrue(lora < full, "no gradients or moments for the base: " + lora + " vs " + full);
        assertTrue(wide > full, "a wider gradient step needs more: " + wide + " vs " + full);
    }

    @Test
    void loraWorkersShareTheProcesssOneBase() {
        String lora = "lora={r: 8, alpha: 16}";
        long base = MemoryEstimate.inference(MODEL, 8, 1).weights();
        long adapters = 4L * LoraSettings.of(8, 16).parameterCount(MODEL);
        long one = PpoMemory.estimate(bind(lora, "kafka.workers=1"), MODEL, Optional.empty())
                .total();
        long three = PpoMemory.estimate(bind(lora, "kafka.workers=3"), MODEL, Optional.empty())
                .total();
        long perWorker = (three - one) / 2;
        long fullPerWorker = (PpoMemory.estimate(bind("kafka.workers=3"), MODEL, Optional.empty())
                                .total()
                        - PpoMemory.estimate(bind("kafka.workers=1"), MODEL, Optional.empty())
                                .total())
                / 2;
        assertEquals(base, fullPerWorker - perWorker + adapters, "a LoRA worker adds its adapters, not a base");
        long workerPod = PpoMemory.estimate(bind(lora, "role=worker", "kafka.workers=2"), MODEL, Optional.empty())
                .total();
        long workerPodOfOne = PpoMemory.estimate(bind(lora, "role=worker", "kafka.workers=1"), MODEL, Optional.empty())
                .total();
        assertEquals(perWorker, workerPod - workerPodOfOne);
        assertTrue(workerPodOfOne - perWorker > base, "a worker pod holds the base once: " + workerPodOfOne);
    }

    @Test
    void aLoraCriticOnThePolicysBaseAddsItsAdaptersNotAModel() {
        String lora = "lora={r: 8, alpha: 16}";
        long base = MemoryEstimate.inference(MODEL, 8, 1).weights();
        long withoutCritic = PpoMemory.estimate(bind(lora, "role=learner"), MODEL, Optional.empty())
                .total();
        long onPolicy = PpoMemory.estimate(
                        bind(lora, "role=learner", "policy.critic=policy"), MODEL, Optional.of(MODEL))
                .total();
        long onRm = PpoMemory.estimate(bind(lora, "role=learner"), MODEL, Optional.of(MODEL))
                .total();
        long whole = PpoMemory.estimate(bind("role=learner"), MODEL, Optional.of(MODEL))
                        .total()
                - PpoMemory.estimate(bind("role=learner"), MODEL, Optional.empty())
                        .total();
        assertEquals(base, onRm - onPolicy, "on the policy's base the critic adds no weights of its own");
        assertTrue(onPolicy - withoutCritic < whole - base, "adapters and head train, not the model");
    }

    /** The estimate may be this much below the measured growth ... */
    static final double UNDER = 0.8;
    /**
     * ... and this much above it. SFT's bound is 2 ({@code MemoryEstimateTest}); PPO's smallest case here (0.12 GiB
     * measured since the in-place KV cache and the response-only LM head) is mostly the estimate's fixed 192 MiB
     * runtime allowance, which makes it 2.2x there while the larger cases are 1.2-1.8x. Over-estimating refuses a job
     * that would fit; under-estimating lets one in that does not, hence the tighter lower bound.
     */
    static final double OVER = 2.5;

    private static final double GIB = 1L << 30;

    /**
     * The estimate against the measured peak of real PPO iterations ({@link PpoMemoryProbe}, each in a fresh JVM) of
     * the tiny model with a critic, at three sizes of rollouts, minibatch and token budgets.
     */
    @Test
    void theEstimateIsWithinItsFactorOfTheMeasuredPeakOfRealIterations(@TempDir Path dir) throws Exception {
        LlamaConfig tiny = ModelInit.architecture(new ModelConfig(
                Optional.empty(),
                Optional.of(Path.of("..", "configs", "model", "tiny.json")),
                Optional.of(Path.of("..", "configs", "tokenizer", "shakespeare-2k")),
                Optional.empty()));
        Path policy = dir.resolve("policy");
        try (LanguageModel lm = LanguageModel.create(tiny, 7)) {
            HfCheckpoint.save(lm, policy, Path.of("..", "configs", "tokenizer", "shakespeare-2k"));
        }
        List<String> rows = new ArrayList<>();
        boolean ok = true;
        // rollouts, minibatch_size, max_prompt_tokens, max_new_tokens
        for (int[] shape : new int[][] {{16, 8, 48, 16}, {32, 16, 64, 64}, {16, 16, 128, 128}}) {
            String yaml = String.format(
                    Locale.ROOT,
                    "policy: {path: %s, reward_model: %s, critic: policy}%n"
                            + "prompts: {path: %s, max_prompt_tokens: %d}%n"
                            + "generation: {max_new_tokens: %d}%n"
                            + "ppo: {rollouts: %d, minibatch_size: %d, epochs: 1}%n",
                    policy,
                    policy,
                    dir.resolve("prompts.jsonl"),
                    shape[2],
                    shape[3],
                    shape[0],
                    shape[1]);
            Path config = Files.writeString(dir.resolve("ppo-" + rows.size() + ".yaml"), yaml);
            long measured = measure(config, policy);
            long estimated = PpoMemory.estimate(
                            PpoConfig.loader()
                                    .compose(List.of(), List.of(), yaml, "test", List.of())
                                    .bind(PpoConfig.class),
                            tiny,
                            Optional.of(tiny))
                    .total();
            double ratio = (double) estimated / measured;
            rows.add(String.format(
                    Locale.ROOT,
                    "rollouts=%d minibatch=%d prompt=%d new=%d: estimate %.3f GiB, measured %.3f GiB, ratio %.2f",
                    shape[0],
                    shape[1],
                    shape[2],
                    shape[3],
                    estimated / GIB,
                    measured / GIB,
                    ratio));
            ok &= ratio >= UNDER && ratio <= OVER;
        }
        System.out.println(String.join("\n", rows));
        assertTrue(ok, String.join("\n", rows));
    }

    private static long measure(Path config, Path policy) throws Exception {
        Process process = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx512m",
                        "-Xms512m",
                        "-XX:+AlwaysPreTouch",
                        "-Dai.djl.offline=true",
                        "-cp",
                        System.getProperty("java.class.path"),
                        PpoMemoryProbe.class.getName(),
                        config.toString(),
                        policy.toString())
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
