package dev.rlhf.core.ppo;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.NoGrad;
import dev.rlhf.core.model.RewardModel;
import dev.rlhf.core.ppo.PpoConfig.PpoSettings;
import dev.rlhf.core.rollout.PolicyScores;
import dev.rlhf.core.rollout.Rollout;
import dev.rlhf.core.rollout.RolloutTensors;
import dev.rlhf.core.train.AdamW;
import dev.rlhf.core.train.OptimizerStep;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * One RL iteration on a batch of rollouts (the recipe of Ziegler et al. and TRL), B rollouts of up to T tokens:
 *
 * <ol>
 *   <li>per-token KL k1 = logp_old - logp_ref; score = clip((rm - mean) / std) - length penalty;
 *   <li>advantages, by {@code ppo.algorithm}: {@code ppo}: reward_t = -kl_coef k1_t (+ score at the last token), GAE
 *       over the frozen critic's values, whitened; {@code grpo} / {@code rloo}: the sequence reward score - kl_coef
 *       sum_t k1_t against its group's ({@link GroupAdvantages}); {@code reinforce_pp}: {@link ReinforcePlusPlus}. With
 *       {@code kl.loss_estimator} the KL leaves the reward (kl_coef 0 there) and is a loss term instead;
 *   <li>epochs over shuffled minibatches: clipped policy loss + vf_coef * clipped value loss - entropy_coef *
 *       entropy, global-norm clipping, AdamW on policy and critic; an epoch ends early once approx KL exceeds the
 *       limit;
 *   <li>the KL controller sees the mean sequence KL.
 * </ol>
 */
public final class PpoUpdate {

    private final LanguageModel policy;
    private final Map<String, Parameter> policyParameters;
    private final RewardModel critic;
    private final Map<String, Parameter> criticParameters;
    private final AdamW policyOptimizer;
    private final AdamW criticOptimizer;
    private final KlController klController;
    private final PpoConfig.KlSettings kl;
    private final PpoSettings settings;
    private final RewardShaping.Settings shaping;

    public PpoUpdate(
            LanguageModel policy,
            RewardModel critic,
            AdamW policyOptimizer,
            AdamW criticOptimizer,
            KlController klController,
            PpoConfig.KlSettings kl,
            PpoSettings settings,
            RewardShaping.Settings shaping) {
        this(
                policy,
                policy.block().hfParameters(),
                critic,
                critic == null ? Map.of() : critic.hfParameters(),
                policyOptimizer,
                criticOptimizer,
                klController,
                kl,
                settings,
                shaping);
    }

    /**
     * @param policyParameters what the policy's optimizer updates: every weight, or a LoRA policy's adapters alone
     *     (the base is frozen)
     * @param criticParameters likewise for the critic (a LoRA critic: its adapters and head)
     */
    public PpoUpdate(
            LanguageModel policy,
            Map<String, Parameter> policyParameters,
            RewardModel critic,
            Map<String, Parameter> criticParameters,
            AdamW policyOptimizer,
            AdamW criticOptimizer,
            KlController klController,
            PpoConfig.KlSettings kl,
            PpoSettings settings,
            RewardShaping.Settings shaping) {
        this.policy = policy;
        this.policyParameters = policyParameters;
        this.critic = critic;
        this.criticParameters = criticParameters;
        this.policyOptimizer = policyOptimizer;
        this.criticOptimizer = criticOptimizer;
        this.klController = klController;
        this.kl = kl;
        this.settings = settings;
        this.shaping = shaping;
    }

    /**
     * Trains on {@code rollouts}, ordered so that a prompt's {@code group_size} samples are adjacent (rows g*G .. g*G +
     * G-1); returns the iteration's metrics. {@code critic} and its optimizer are null for the critic-free algorithms.
     */
    public PpoStats train(List<Rollout> rollouts, long seed) {
        return train(rollouts, seed, 0);
    }

    /**
     * As above, for the policy at {@code version}: rollouts sampled by an older version are off-policy. When the batch
     * holds any and {@code tis_cap} is on, PPO's old log-probs are the learner's own (recomputed before the update)
     * and each token's loss is weighted by {@code min(pi_learner / pi_behaviour, tis_cap)}
     * ({@link TruncatedImportanceSampling}).
     */
    public PpoStats train(List<Rollout> rollouts, long seed, long version) {
        try (NDManager m = policy.manager().newSubManager()) {
            RolloutTensors all = RolloutTensors.of(m, rollouts);
            NDArray mask = all.responseMask();
            int t = all.responseLength();
            NDArray behaviourLogp = RolloutTensors.padded(
                    m, rollouts.stream().map(Rollout::oldLogprobs).toList(), t);
            int stale = (int)
                    rollouts.stream().filter(r -> r.policyVersion() < version).count();
            NDArray oldLogp = behaviourLogp;
            NDArray tisWeights = null;
            Optional<PpoStats.OffPolicy> offPolicy = Optional.empty();
            if (stale > 0 && settings.tisCap() > 0) {
                oldLogp = learnerLogprobs(all);
                TruncatedImportanceSampling.Result tis =
                        TruncatedImportanceSampling.compute(oldLogp, behaviourLogp, mask, settings.tisCap());
                tisWeights = tis.weights();
                offPolicy = Optional.of(new PpoStats.OffPolicy(
                        stale, tis.weightMean(), tis.weightMax(), tis.ratioMax(), tis.clippedFraction()));
            }
            NDArray refLogp = RolloutTensors.padded(
                    m, rollouts.stream().map(Rollout::refLogprobs).toList(), t);
            NDArray k1 = KlEstimators.k1(oldLogp, refLogp, mask);
            float[][] rewards = rollouts.stream().map(Rollout::rewards).toArray(float[][]::new);
            float[] raw = rawTotals(rewards);
            NDArray scores = RewardShaping.scores(rewards, mask, shaping);
            boolean klInReward = kl.lossEstimator().isEmpty();
            Estimate estimate = estimate(all, scores, k1, mask, klInReward ? klController.coef() : 0);

            double scoreMean = mean(raw);
            Minibatch full = new Minibatch(
                    all, oldLogp, refLogp, estimate.oldValues(), estimate.advantages(), estimate.returns(), tisWeights);
            Optimisation optimisation = optimise(m, full, rollouts.size(), seed);
            double klUsed = klController.coef();
            double sequenceKl = KlEstimators.meanSequenceKl(k1, mask);
            klController.update(sequenceKl, rollouts.size());
            List<long[]> responses = rollouts.stream().map(Rollout::responseIds).toList();
            return new PpoStats(
                    scoreMean,
                    Math.sqrt(variance(raw, scoreMean)),
                    scores.mean().getFloat(),
                    sequenceKl,
                    KlEstimators.meanPerToken(k1, mask),
                    KlEstimators.meanPerToken(KlEstimators.k3(oldLogp, refLogp, mask), mask),
                    klUsed,
                    klInReward,
                    sequenceEntropy(oldLogp, mask),
                    estimate.oldValues() == null
                            ? Double.NaN
                            : ExplainedVariance.of(estimate.returns(), estimate.oldValues(), mask),
                    PpoMetrics.meanResponseLength(responses),
                    PpoMetrics.distinctResponseRatio(responses),
                    optimisation.epochs(),
                    optimisation.earlyStop(),
                    optimisation.skipped(),
                    MinibatchStats.mean(optimisation.steps()),
                    offPolicy);
        }
    }

    /** The policy's own log-probs of the sampled tokens before the update (no graph): PPO's old log-probs. */
    private NDArray learnerLogprobs(RolloutTensors all) {
        try (NoGrad noGrad = NoGrad.open()) {
            return PolicyScores.logprobs(policy.block(), policy.inferenceStore(), all, false);
        }
    }

    /** Mean over responses of {@code -sum_t logp[b, t]}: a one-sample estimate of each response's entropy. */
    private static double sequenceEntropy(NDArray logp, NDArray mask) {
        return Masked.sumPerRow(logp, mask).neg().mean().getFloat();
    }

    private static double mean(float[] xs) {
        double sum = 0;
        for (float x : xs) {
            sum += x;
        }
        return sum / xs.length;
    }

    /** Population variance of {@code xs} around {@code mean}. */
    private static double variance(float[] xs, double mean) {
        double sum = 0;
        for (float x : xs) {
            sum += (x - mean) * (x - mean);
        }
        return sum / xs.length;
    }

    /** The epochs made, whether approx KL stopped them early, the steps applied and the steps dropped. */
    private record Optimisation(int epochs, boolean earlyStop, List<MinibatchStats> steps, int skipped) {}

    /** Advantages (B, T), and for PPO the critic's values and the returns it is trained towards. */
    private record Estimate(NDArray advantages, NDArray oldValues, NDArray returns) {}

    private Estimate estimate(RolloutTensors all, NDArray scores, NDArray k1, NDArray mask, double rewardKlCoef) {
        int groupSize = settings.groupSize();
        return switch (settings.algorithm()) {
            case PPO -> {
                NDArray oldValues = frozenValues(all);
                NDArray rewards = RewardShaping.perToken(scores, k1, mask, rewardKlCoef);
                Gae.Result gae = Gae.compute(rewards, oldValues, mask, settings.gamma(), settings.lam());
                NDArray advantages =
                        settings.whitenAdvantages() ? Whiten.whiten(gae.advantages(), mask) : gae.advantages();
                yield new Estimate(advantages, oldValues, gae.returns());
            }
            case GRPO ->
                new Estimate(
                        GroupAdvantages.grpo(
                                sequenceRewards(scores, k1, mask, rewardKlCoef),
                                mask,
                                groupSize,
                                settings.scaleRewards()),
                        null,
                        null);
            case RLOO ->
                new Estimate(
                        GroupAdvantages.rloo(sequenceRewards(scores, k1, mask, rewardKlCoef), mask, groupSize),
                        null,
                        null);
            case REINFORCE_PP ->
                new Estimate(
                        ReinforcePlusPlus.compute(scores, k1, mask, rewardKlCoef, settings.gamma())
                                .advantages(),
                        null,
                        null);
        };
    }

    /** {@code score_b - klCoef * sum_t k1[b, t]} (B): the KL as part of a sequence-level reward. */
    private static NDArray sequenceRewards(NDArray scores, NDArray k1, NDArray mask, double klCoef) {
        if (klCoef == 0) {
            return scores;
        }
        NDArray sequenceKl = Masked.sumPerRow(k1, mask); // (B)
        return scores.sub(sequenceKl.mul(klCoef));
    }

    /** The critic's values before the update: inference only, so no graph is recorded on this thread. */
    private NDArray frozenValues(RolloutTensors all) {
        try (NoGrad noGrad = NoGrad.open()) {
            return PolicyScores.values(critic, critic.languageModel().inferenceStore(), all, false);
        }
    }

    /** Each rollout's weighted sum of raw rewards, before the reward model's normalisation. */
    private float[] rawTotals(float[][] rewards) {
        float[] out = new float[rewards.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) shaping.rawTotal(rewards[i]);
        }
        return out;
    }

    private Optimisation optimise(NDManager m, Minibatch full, int b, long seed) {
        Random random = new Random(seed);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < b; i++) {
            order.add(i);
        }
        List<MinibatchStats> steps = new ArrayList<>();
        int skipped = 0;
        for (int epoch = 0; epoch < settings.epochs(); epoch++) {
            Collections.shuffle(order, random);
            double epochKl = 0;
            int minibatches = 0;
            for (int start = 0; start < b; start += settings.minibatchSize()) {
                int[] rows = order.subList(start, Math.min(b, start + settings.minibatchSize())).stream()
                        .mapToInt(Integer::intValue)
                        .toArray();
                try (NDManager scope = m.newSubManager()) {
                    Optional<MinibatchStats> step = step(full.rows(scope, rows));
                    step.ifPresent(steps::add);
                    skipped += step.isEmpty() ? 1 : 0;
                    epochKl += step.map(MinibatchStats::approxKl).orElse(0.0);
                    minibatches++;
                }
            }
            if (settings.targetKlStop() > 0 && epochKl / minibatches > settings.targetKlStop()) {
                return new Optimisation(epoch + 1, true, steps, skipped);
            }
        }
        return new Optimisation(settings.epochs(), false, steps, skipped);
    }

    /** One gradient step on a minibatch; its figures, or nothing when it was dropped for a non-finite gradient. */
    private Optional<MinibatchStats> step(Minibatch mb) {
        NDArray mask = mb.tensors().responseMask();
        PpoLoss.Result pg;
        ValueLoss.Result vf = null;
        float entropy;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            ParameterStore ps = new ParameterStore(mb.tensors().ids().getManager(), false);
            NDList logpAndLogits = PolicyScores.logprobsAndLogits(policy.block(), ps, mb.tensors(), true);
            NDArray logp = logpAndLogits.get(0);
            pg = PpoLoss.compute(
                    logp,
                    mb.oldLogp(),
                    mb.advantages(),
                    mask,
                    settings.clipRange(),
                    settings.lossAgg(),
                    mb.tisWeights());
            NDArray policyLoss = pg.loss();
            if (kl.lossEstimator().isPresent()) {
                NDArray term = kl.lossEstimator().get().term(logp, mb.refLogp(), mask, klController.coef());
                policyLoss = policyLoss.add(settings.lossAgg().aggregate(term, mask));
            }
            if (critic != null) {
                NDArray values = PolicyScores.values(critic, ps, mb.tensors(), true);
                vf = ValueLoss.compute(values, mb.oldValues(), mb.returns(), mask, settings.valueClip());
            }
            NDArray entropyMean = Entropy.mean(logpAndLogits.get(1), mask);
            entropy = entropyMean.getFloat();
            NDArray loss = PpoObjective.total(
                    policyLoss, vf == null ? null : vf.loss(), entropyMean, settings.vfCoef(), settings.entropyCoef());
            gc.backward(loss);
        }
        List<OptimizerStep.Group> groups = new ArrayList<>();
        groups.add(new OptimizerStep.Group(policyParameters, policyOptimizer, settings.lr()));
        if (critic != null) {
            groups.add(new OptimizerStep.Group(criticParameters, criticOptimizer, settings.criticLr()));
        }
        OptimizerStep.Result step = OptimizerStep.take(groups, settings.maxGradNorm());
        if (!step.applied()) {
            return Optional.empty(); // overflowed: dropped, as mixed-precision trainers do
        }
        return Optional.of(new MinibatchStats(
                pg.loss().getFloat(),
                vf == null ? Double.NaN : vf.loss().getFloat(),
                pg.clipFrac(),
                vf == null ? Double.NaN : vf.clipFrac(),
                pg.approxKl(),
                pg.ratioMean(),
                entropy,
                step.gradNorms()[0],
                critic == null ? Double.NaN : step.gradNorms()[1]));
    }
}
