package dev.rlhf.core.ppo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.core.model.LlamaConfig;
import dev.rlhf.core.model.TestModels;
import dev.rlhf.core.train.MemoryEstimate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

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
        MemoryEstimate worker = MemoryEstimate.inference(MODEL, 8, length);
        MemoryEstimate learner = MemoryEstimate.training(MODEL, 8, length, true)
                .plus(new MemoryEstimate(
                        0, 0, 0, 0, MemoryEstimate.inference(MODEL, 32, length).logits()));
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
}
