package dev.rlhf.core.rollout;

import dev.rlhf.core.ppo.PpoConfig;
import dev.rlhf.core.reward.RewardFunction;
import dev.rlhf.core.reward.RewardInput;
import dev.rlhf.core.reward.RewardSources;
import dev.rlhf.core.tokenizer.Tokenizer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * A worker's reward sources over one batch of responses: the reward model through the {@link Scorer} (KServe v2),
 * the rules in this process. Each source gets at most {@code timeout} for the batch; a source that is slower, or
 * fails, fails the batch's rewards with a reason naming it, so the worker reports those rollouts as failed instead of
 * stalling the iteration or inventing a zero.
 */
public final class RolloutRewards implements AutoCloseable {

    /** One response to score: the reward model's input ids and the texts a rule reads. */
    public record Item(long[] rewardModelInput, RewardInput text) {}

    /**
     * Per item, each source's raw reward in config order, or the reason the batch could not be scored.
     *
     * @param failure e.g. {@code "reward source exact_match timed out after 30000 ms"}
     */
    public record Result(float[][] rewards, Optional<String> failure) {}

    private final RewardSources sources;
    private final List<Optional<RewardFunction>> rules;
    private final Scorer scorer;
    private final Duration timeout;
    private final ExecutorService calls;

    public RolloutRewards(
            RewardSources sources, List<Optional<RewardFunction>> rules, Scorer scorer, Duration timeout) {
        this.sources = sources;
        this.rules = rules;
        this.scorer = scorer;
        this.timeout = timeout;
        this.calls = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "reward-source");
            t.setDaemon(true); // a source stuck past its timeout never keeps the JVM alive
            return t;
        });
    }

    /** The sources of a job's {@code rewards} list; token-counted lengths use the policy's tokenizer. */
    public static RolloutRewards of(PpoConfig config, Scorer scorer, Tokenizer tokenizer) {
        RewardSources sources = config.rewardSources();
        return new RolloutRewards(
                sources,
                sources.rules(text -> tokenizer.encode(text).length),
                scorer,
                Duration.ofMillis(config.scoring().rewardTimeoutMs()));
    }

    public Result score(List<Item> items) {
        float[][] rewards = new float[items.size()][sources.size()];
        for (int k = 0; k < sources.size(); k++) {
            String name = sources.names().get(k);
            Optional<RewardFunction> rule = rules.get(k);
            Supplier<float[]> source = rule.isPresent()
                    ? () -> applyRule(rule.get(), items)
                    : () -> scorer.rewards(
                            items.stream().map(Item::rewardModelInput).toList());
            Future<float[]> call = calls.submit(source::get);
            try {
                float[] column = call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                for (int i = 0; i < items.size(); i++) {
                    rewards[i][k] = column[i];
                }
            } catch (TimeoutException e) {
                call.cancel(true);
                return failed("reward source " + name + " timed out after " + timeout.toMillis() + " ms");
            } catch (ExecutionException e) {
                return failed(
                        "reward source " + name + " failed: " + e.getCause().getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return failed("interrupted while scoring with " + name);
            }
        }
        return new Result(rewards, Optional.empty());
    }

    private static float[] applyRule(RewardFunction rule, List<Item> items) {
        float[] out = new float[items.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) rule.score(items.get(i).text());
        }
        return out;
    }

    private static Result failed(String reason) {
        return new Result(null, Optional.of(reason));
    }

    @Override
    public void close() {
        calls.shutdownNow();
    }
}
