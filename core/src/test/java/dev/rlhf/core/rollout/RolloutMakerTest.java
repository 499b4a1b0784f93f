package dev.rlhf.core.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.TestModels;
import dev.rlhf.core.ppo.PpoConfig.GenerationSettings;
import dev.rlhf.core.tokenizer.ChatLayout;
import dev.rlhf.core.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a worker's batch comes to when its scoring server is down. */
class RolloutMakerTest {

    private static final Path TOKENIZER =
            Path.of("..").toAbsolutePath().normalize().resolve("configs/tokenizer/shakespeare-2k");

    /**
     * A reference server that does not answer fails the batch's prompts, naming why, as a reward source's failure
     * does: the worker publishes them as failed and goes on, and the learner decides (it fails naming the endpoint
     * when no group is complete), instead of every worker process dying with the server.
     */
    @Test
    void aReferenceThatFailsFailsTheBatchNamingItInsteadOfThrowing() {
        Scorer down = new Scorer() {
            @Override
            public List<float[]> referenceLogprobs(List<long[]> sequences) {
                throw new IllegalStateException("UNAVAILABLE: 127.0.0.1:9 refused the connection");
            }

            @Override
            public float[] rewards(List<long[]> sequences) {
                throw new AssertionError("not reached");
            }
        };
        try (Tokenizer tokenizer = Tokenizer.load(TOKENIZER);
                LanguageModel policy = LanguageModel.create(TestModels.tiny(2000, 4, 2, true), 1)) {
            RolloutMaker maker =
                    new RolloutMaker(ChatLayout.of(tokenizer), down, new GenerationSettings(3, 1.0, 0, 1.0), 16);
            RolloutBatch batch = maker.make(
                    policy,
                    4,
                    List.of(new PromptTask(2, 0, Prompt.of("to be")), new PromptTask(2, 1, Prompt.of("or not"))),
                    7);
            assertTrue(batch.rollouts().isEmpty());
            assertEquals(
                    List.of(
                            new RolloutBatch.Failed(
                                    2, 0, 4, "reference log-probs: UNAVAILABLE: 127.0.0.1:9 refused the connection"),
                            new RolloutBatch.Failed(
                                    2, 1, 4, "reference log-probs: UNAVAILABLE: 127.0.0.1:9 refused the connection")),
                    batch.failed());
        }
    }
}
