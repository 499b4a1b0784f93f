package dev.rlhf.rl.learner;

import dev.rlhf.core.rollout.Rollout;
import dev.rlhf.rl.kafka.ConsumedRollout;
import dev.rlhf.rl.kafka.RecordPosition;
import dev.rlhf.rl.kafka.RolloutDeduplicator;
import dev.rlhf.rl.kafka.RolloutLog;
import dev.rlhf.rl.mapping.RolloutRecords;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * What the learner has read of one iteration's rollouts, record by record, and the batch it trains on in the end. Each
 * record read is one of:
 *
 * <ul>
 *   <li><b>kept</b>: the first scored answer to one of this iteration's prompts, from a recent enough policy;
 *   <li><b>duplicate</b>: an answer to a prompt whose answer was already trained (an earlier iteration's checkpoint
 *       lists it) or kept: a prompt redelivered after a worker died between publishing and committing, or published
 *       again by a resumed learner. The first answer stands, so each (iteration, index) is trained once;
 *   <li><b>failed</b>: the prompt's rewards could not be computed ({@code reward_error}); a later scored answer still
 *       replaces it. A failure read from before this learner started ({@code beforeStart}) answered an earlier run's
 *       request, which this run has published again, so it is not this run's failure;
 *   <li><b>stale</b>: from a policy more than {@code kafka.max_staleness} versions behind (counted, dropped);
 *   <li>any other record (an older iteration's late answer) is dropped.
 * </ul>
 *
 * Every record read, corrupt ones included, is {@linkplain Batch#consumed consumed}: the learner commits past them
 * after the checkpoint. Not thread-safe.
 */
final class IterationRollouts {

    private final LearnerState state;
    private final int expected;
    private final Predicate<RecordPosition> beforeStart;
    private final RolloutDeduplicator staleness;
    private final Map<Integer, ConsumedRollout> kept = new TreeMap<>(); // by index: a prompt's group is adjacent
    private final Map<Integer, String> failed = new TreeMap<>();
    private final List<RecordPosition> consumed = new ArrayList<>();
    private long corrupt;
    private long dropped;
    private long duplicates;
    private long stale;

    /**
     * @param expected the iteration's rollouts ({@code ppo.rollouts})
     * @param beforeStart whether a record was on the topic before this learner started ({@link
     *     RolloutLog.Reader#beforeStart})
     */
    IterationRollouts(LearnerState state, int maxStaleness, int expected, Predicate<RecordPosition> beforeStart) {
        this.state = state;
        this.expected = expected;
        this.beforeStart = beforeStart;
        this.staleness = new RolloutDeduplicator(maxStaleness);
    }

    /** Whether every prompt of the iteration has its answer, scored or failed. */
    boolean answered() {
        return kept.size() + failed.size() >= expected;
    }

    void add(RolloutLog.Polled polled) {
        consumed.addAll(polled.corrupt()); // named in the log by the reader; committed past with the rest
        corrupt += polled.corrupt().size();
        polled.rollouts().forEach(this::add);
    }

    void add(ConsumedRollout c) {
        consumed.add(c);
        dev.rlhf.proto.v1.Rollout record = c.rollout();
        int index = record.getIndex();
        boolean current = record.getIteration() == state.iteration();
        if (state.trained().contains(LearnerState.key(record.getIteration(), index))
                || (current && kept.containsKey(index))) {
            duplicates++;
            dropped++;
            return;
        }
        if (!record.getRewardError().isEmpty()) {
            if (current && !beforeStart.test(c)) {
                failed.putIfAbsent(index, record.getRewardError());
            }
            dropped++;
            return;
        }
        RolloutDeduplicator.Verdict verdict = staleness.accept(record, state.version());
        stale += verdict == RolloutDeduplicator.Verdict.STALE ? 1 : 0;
        if (current && verdict == RolloutDeduplicator.Verdict.KEEP) {
            kept.put(index, c);
            failed.remove(index); // answered again, this time scored
        } else {
            dropped++;
        }
    }

    /** Rollouts kept so far. */
    int kept() {
        return kept.size();
    }

    /** Why the first failed prompt failed, if one did. */
    Optional<String> firstFailure() {
        return failed.values().stream().findFirst();
    }

    int failed() {
        return failed.size();
    }

    /**
     * What the iteration trains on: the complete groups of {@code groupSize} (indices g*G .. g*G+G-1); a group with a
     * failed or missing member is dropped and counted.
     */
    Batch batch(int groupSize) {
        List<Rollout> rollouts = new ArrayList<>();
        Set<String> keys = new LinkedHashSet<>();
        double generateSeconds = 0;
        double scoreSeconds = 0;
        long versionsBehind = 0;
        long droppedGroups = 0;
        for (int first = 0; first + groupSize <= expected; first += groupSize) {
            boolean complete = true;
            for (int i = first; i < first + groupSize; i++) {
                complete &= kept.containsKey(i);
            }
            if (!complete) {
                droppedGroups++;
                continue;
            }
            for (int i = first; i < first + groupSize; i++) {
                dev.rlhf.proto.v1.Rollout record = kept.get(i).rollout();
                Rollout r = RolloutRecords.fromRecord(record);
                rollouts.add(r);
                keys.add(LearnerState.key(r.iteration(), r.index()));
                generateSeconds += record.getGenerateSeconds();
                scoreSeconds += record.getScoreSeconds();
                versionsBehind += state.version() - r.policyVersion();
            }
        }
        return new Batch(
                rollouts,
                keys,
                List.copyOf(consumed),
                dropped,
                stale,
                failed.size(),
                droppedGroups,
                generateSeconds,
                scoreSeconds,
                rollouts.isEmpty() ? 0 : versionsBehind / (double) rollouts.size(),
                corrupt,
                duplicates);
    }

    /**
     * One iteration's batch: the rollouts to train on (complete groups only), their keys, every record read (for the
     * commit), how many records were dropped (of them, how many as too stale, how many as duplicates), how many
     * rollouts failed their rewards and how many groups were dropped incomplete, the worker seconds the kept rollouts
     * cost in generation and in scoring, how many policy versions the kept rollouts are behind the learner on
     * average, and how many records were not rollouts at all (skipped, committed past).
     */
    record Batch(
            List<Rollout> rollouts,
            Set<String> keys,
            List<RecordPosition> consumed,
            long dropped,
            long stale,
            long failed,
            long droppedGroups,
            double generateSeconds,
            double scoreSeconds,
            double staleness,
            long corrupt,
            long duplicates) {}
}
