package dev.rlhf.core.generation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.rlhf.core.jobs.Cancellation;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.LogProbs;
import dev.rlhf.core.model.TestModels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GeneratorTest {

    private static LanguageModel lm;
    private static final List<long[]> PROMPTS =
            List.of(new long[] {5, 6, 7}, new long[] {9}, new long[] {3, 1, 4, 1, 5});

    @BeforeAll
    static void model() {
        lm = LanguageModel.create(TestModels.qwen2(60), 11);
    }

    @AfterAll
    static void close() {
        lm.close();
    }

    @Test
    void kvCacheGivesExactlyTheTokensOfFullForwardGreedyDecoding() {
        Generator generator = new Generator(lm, null);
        SamplingConfig greedy = SamplingConfig.greedy(24);
        List<Generation> cached = generator.generate(PROMPTS, greedy);
        List<Generation> full = generator.generate(PROMPTS, greedy.withKvCache(false));
        for (int i = 0; i < PROMPTS.size(); i++) {
            assertEquals(24, cached.get(i).tokens().length);
            assertArrayEquals(full.get(i).tokens(), cached.get(i).tokens(), "prompt " + i);
        }
    }

    @Test
    void batchedGenerationEqualsGeneratingEachPromptAlone() {
        Generator generator = new Generator(lm, null);
        SamplingConfig greedy = SamplingConfig.greedy(12);
        List<Generation> batched = generator.generate(PROMPTS, greedy);
        for (int i = 0; i < PROMPTS.size(); i++) {
            long[] alone =
                    generator.generate(List.of(PROMPTS.get(i)), greedy).get(0).tokens();
            assertArrayEquals(alone, batched.get(i).tokens(), "prompt " + i);
        }
    }

    @Test
    void rowsWithTheirOwnSettingsEqualEachRowGeneratedAlone() {
        Generator generator = new Generator(lm, null);
        List<SamplingConfig> rows = List.of(
                new SamplingConfig(10, 1.5, 0, 0.95, 42, Set.of(), List.of(), true),
                SamplingConfig.greedy(4),
                new SamplingConfig(7, 0.8, 20, 1, 7, Set.of(), List.of(), true));
        List<GeneratedToken> streamed = new ArrayList<>();
        List<Generation> together = generator.generateRows(PROMPTS, rows, streamed::add);
        for (int i = 0; i < PROMPTS.size(); i++) {
            Generation alone =
                    generator.generate(List.of(PROMPTS.get(i)), rows.get(i)).get(0);
            assertArrayEquals(alone.tokens(), together.get(i).tokens(), "row " + i);
            assertEquals(alone.finishReason(), together.get(i).finishReason(), "row " + i);
            int row = i;
            assertEquals(
                    rows.get(i).maxNewTokens(),
                    streamed.stream().filter(t -> t.row() == row).count());
        }
    }

    @Test
    void samplingIsReproducibleForASeedAndTopKOneIsGreedy() {
        Generator generator = new Generator(lm, null);
        SamplingConfig hot = new SamplingConfig(16, 1.5, 0, 0.95, 42, Set.of(), List.of(), true);
        long[] first = generator.generate(PROMPTS, hot).get(2).tokens();
        long[] again = generator.generate(PROMPTS, hot).get(2).tokens();
        assertArrayEquals(first, again);
        SamplingConfig otherSeed = new SamplingConfig(16, 1.5, 0, 0.95, 43, Set.of(), List.of(), true);
        assertNotEquals(
                List.of(first),
                List.of(generator.generate(PROMPTS, otherSeed).get(2).tokens()));
        SamplingConfig topOne = new SamplingConfig(16, 1.5, 1, 1.0, 7, Set.of(), List.of(), true);
        assertArrayEquals(
                generator.generate(PROMPTS, SamplingConfig.greedy(16)).get(0).tokens(),
                generator.generate(PROMPTS, topOne).get(0).tokens());
    }

    @Test
    void stopsAtAStopTokenAndKeepsIt() {
        Generator generator = new Generator(lm, null);
        long[] free =
                generator.generate(PROMPTS, SamplingConfig.greedy(10)).get(0).tokens();
        long stop = free[3];
        int firstStop = 0;
        while (free[firstStop] != stop) {
            firstStop++;
        }
        Generation g = generator
                .generate(PROMPTS, SamplingConfig.greedy(10).withStopTokens(Set.of(stop)))
                .get(0);
        assertEquals(Generation.FinishReason.STOP_TOKEN, g.finishReason());
        assertEquals(firstStop + 1, g.tokens().length);
        assertEquals(stop, g.tokens()[firstStop]);
    }

    @Test
    void stopsAtAStopString() {
        Generator generator = new Generator(lm, ids -> String.valueOf(ids.length));
        SamplingConfig config = new SamplingConfig(10, 0, 0, 1, 0, Set.of(), List.of("4"), true);
        Generation g = generator.generate(PROMPTS, config).get(1);
        assertEquals(Generation.FinishReason.STOP_STRING, g.finishReason());
        assertEquals(4, g.tokens().length);
    }

    @Test
    void reportsEachTokenInStepOrderWithItsRawLogProbAndTheFinishOnTheLast() {
        Generator generator = new Generator(lm, null);
        long[] free =
                generator.generate(PROMPTS, SamplingConfig.greedy(6)).get(0).tokens();
        SamplingConfig config = new SamplingConfig(6, 1.3, 0, 1, 5, Set.of(free[2]), List.of(), true);
        List<GeneratedToken> seen = new ArrayList<>();
        List<Generation> out = generator.generate(PROMPTS, config, seen::add);
        for (int row = 0; row < PROMPTS.size(); row++) {
            int r = row;
            List<GeneratedToken> mine = seen.stream().filter(t -> t.row() == r).toList();
            long[] tokens = out.get(row).tokens();
            assertArrayEquals(
                    tokens, mine.stream().mapToLong(GeneratedToken::id).toArray(), "row " + row);
            for (int i = 0; i < mine.size(); i++) {
                assertEquals(i, mine.get(i).index());
                assertEquals(
                        i == mine.size() - 1 ? out.get(row).finishReason() : null,
                        mine.get(i).finishReason());
            }
            float[] expected = logProbsOfContinuation(PROMPTS.get(row), tokens);
            for (int i = 0; i < tokens.length; i++) {
                assertEquals(expected[i], mine.get(i).logprob(), 1e-4, "row " + row + " token " + i);
            }
        }
    }

    /** log p(tokens[i] | prompt, tokens[..i]) from one full forward pass over prompt + tokens. */
    private static float[] logProbsOfContinuation(long[] prompt, long[] tokens) {
        long[] all = new long[prompt.length + tokens.length];
        System.arraycopy(prompt, 0, all, 0, prompt.length);
        System.arraycopy(tokens, 0, all, prompt.length, tokens.length);
        try (NDManager m = lm.manager().newSubManager()) {
            NDArray ids = m.create(new long[][] {all});
            long[] mask = new long[all.length];
            Arrays.fill(mask, 1);
            NDArray logits = lm.logits(ids, m.create(new long[][] {mask})); // (1, T, V)
            float[] perToken = LogProbs.ofNextTokens(logits, ids).toFloatArray(); // (1, T-1)
            return Arrays.copyOfRange(perToken, prompt.length - 1, all.length - 1);
        }
    }

    @Test
    void aCancelStopsDecodingWithinOneStep() {
        Generator generator = new Generator(lm, null);
        List<GeneratedToken> seen = new ArrayList<>();
        // cancelled once the third step's tokens are out: the fourth forward pass never runs
        try (Cancellation.Scope scope = Cancellation.bind(() -> seen.size() >= 3 * PROMPTS.size())) {
            CancellationException e = assertThrows(
                    CancellationException.class,
                    () -> generator.generate(PROMPTS, SamplingConfig.greedy(100), seen::add));
            assertTrue(e.getMessage().contains("token 3 of 100"), e.getMessage());
        }
        assertEquals(3 * PROMPTS.size(), seen.size());
        assertEquals(
                100,
                generator.generate(PROMPTS, SamplingConfig.greedy(100)).get(0).tokens().length);
    }

    @Test
    void refusesToRunPastTheContextWindow() {
        Generator generator = new Generator(lm, null);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> generator.generate(PROMPTS, SamplingConfig.greedy(200)));
        assertEquals(true, e.getMessage().contains("max_position_embeddings=128"), e.getMessage());
    }
}
