package dev.rlhf.core.ppo;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.rlhf.core.config.PpoConfig.PpoSettings;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.NoGrad;
import dev.rlhf.core.model.RewardModel;
import dev.rlhf.core.rollout.PolicyScores;
import dev.rlhf.core.rollout.Rollout;
import dev.rlhf.core.rollout.RolloutTensors;
import dev.rlhf.core.train.AdamW;
import dev.rlhf.core.train.GradientClipping;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One PPO iteration on a batch of rollouts (the recipe of Ziegler et al. and TRL), B rollouts of up to T tokens:
 *
 * <ol>
 *   <li>values of the frozen critic, per-token KL k1 = logp_old - logp_ref;
 *   <li>score = clip((rm - mean) / std) - length penalty, reward_t = -kl_coef k1_t (+ score at the last token);
 *   <li>GAE advantages and returns; advantages whitened;
 *   <li>epochs over shuffled minibatches: clipped policy loss + vf_coef * clipped value loss - entropy_coef *
 *       entropy, global-norm clipping, AdamW on policy and critic; an epoch ends early once approx KL exceeds the
 *       limit;
 *   <li>the KL controller sees the mean sequence KL.
 * </ol>
 */
public final class PpoUpdate {

    private final LanguageModel policy;
    private final RewardModel critic;
    private final AdamW policyOptimizer;
    private final AdamW criticOptimizer;
    private final KlController kl;
    private final PpoSettings settings;
    private final RewardShaping.Settings shaping;

    public PpoUpdate(
            LanguageModel policy,
            RewardModel critic,
            AdamW policyOptimizer,
            AdamW criticOptimizer,
            KlController kl,
            PpoSettings settings,
            RewardShaping.Settings shaping) {
        this.policy = policy;
        this.critic = critic;
        this.policyOptimizer = policyOptimizer;
        this.criticOptimizer = criticOptimizer;
        this.kl = kl;
        this.settings = settings;
        this.shaping = shaping;
    }

    /** Trains on {@code rollouts}; returns the iteration's metrics (TRL's names where they exist). */
    public PpoStats train(List<Rollout> rollouts, long seed) {
        try (NDManager m = policy.manager().newSubManager()) {
            RolloutTensors all = RolloutTensors.of(m, rollouts);
            NDArray mask = all.responseMask();
            int t = all.responseLength();
            NDArray oldLogp = RolloutTensors.padded(
                    m, rollouts.stream().map(Rollout::oldLogprobs).toList(), t);
            NDArray refLogp = RolloutTensors.padded(
                    m, rollouts.stream().map(Rollout::refLogprobs).toList(), t);
            NDArray oldValues = frozenValues(all);
            NDArray k1 = KlEstimators.k1(oldLogp, refLogp, mask);
            NDArray rawScores = m.create(scores(rollouts));
            NDArray scores = RewardShaping.scores(rawScores, mask, shaping);
            NDArray rewards = RewardShaping.perToken(scores, k1, mask, kl.coef());
            Gae.Result gae = Gae.compute(rewards, oldValues, mask, settings.gamma(), settings.lam());
            NDArray advantages = settings.whitenAdvantages() ? Whiten.whiten(gae.advantages(), mask) : gae.advantages();

            PpoStats.Builder stats = new PpoStats.Builder()
                    .rewards(rawScores.toFloatArray())
                    .kl(
                            KlEstimators.meanPerToken(k1, mask),
                            KlEstimators.meanPerToken(KlEstimators.k3(oldLogp, refLogp, mask), mask),
                            KlEstimators.meanSequenceKl(k1, mask))
                    .klCoef(kl.coef())
                    .explainedVariance(ExplainedVariance.of(gae.returns(), oldValues, mask))
                    .responses(rollouts.stream().map(Rollout::responseIds).toList());
            Minibatch full = new Minibatch(all, oldLogp, oldValues, advantages, gae.returns());
            optimise(m, full, rollouts.size(), seed, stats);
            kl.update(KlEstimators.meanSequenceKl(k1, mask), rollouts.size());
            return stats.build();
        }
    }

    /** The critic's values before the update: inference only, so no graph is recorded on this thread. */
    private NDArray frozenValues(RolloutTensors all) {
        try (NoGrad noGrad = NoGrad.open()) {
            return PolicyScores.values(critic, critic.languageModel().inferenceStore(), all, false);
        }
    }

    private static float[] scores(List<Rollout> rollouts) {
        float[] out = new float[rollouts.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = rollouts.get(i).score();
        }
        return out;
    }

    private void optimise(NDManager m, Minibatch full, int b, long seed, PpoStats.Builder stats) {
        Random random = new Random(seed);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < b; i++) {
            order.add(i);
        }
        for (int epoch = 0; epoch < settings.epochs(); epoch++) {
            Collections.shuffle(order, random);
            double epochKl = 0;
            int minibatches = 0;
            for (int start = 0; start < b; start += settings.minibatchSize()) {
                int[] rows = order.subList(start, Math.min(b, start + settings.minibatchSize())).stream()
                        .mapToInt(Integer::intValue)
                        .toArray();
                try (NDManager step = m.newSubManager()) {
                    epochKl += step(full.rows(step, rows), stats);
                    minibatches++;
                }
            }
            stats.epochs(epoch + 1);
            if (settings.targetKlStop() > 0 && epochKl / minibatches > settings.targetKlStop()) {
                stats.stoppedEarly(true);
                break;
            }
        }
    }

    /** One gradient step on a minibatch; returns its approx KL. */
    private double step(Minibatch mb, PpoStats.Builder stats) {
        NDArray mask = mb.tensors().responseMask();
        PpoLoss.Result pg;
        ValueLoss.Result vf;
        float entropy;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            ParameterStore ps = new ParameterStore(mb.tensors().ids().getManager(), false);
            NDList logpAndLogits = PolicyScores.logprobsAndLogits(policy.block(), ps, mb.tensors(), true);
            NDArray values = PolicyScores.values(critic, ps, mb.tensors(), true);
            pg = PpoLoss.compute(logpAndLogits.get(0), mb.oldLogp(), mb.advantages(), mask, settings.clipRange());
            vf = ValueLoss.compute(values, mb.oldValues(), mb.returns(), mask, settings.valueClip());
            NDArray entropyMean = Entropy.mean(logpAndLogits.get(1), mask);
            entropy = entropyMean.getFloat();
            NDArray loss =
                    PpoObjective.total(pg.loss(), vf.loss(), entropyMean, settings.vfCoef(), settings.entropyCoef());
            gc.backward(loss);
        }
        Map<String, Parameter> policyParams = policy.block().hfParameters();
        Map<String, Parameter> criticParams = critic.hfParameters();
        double policyNorm = GradientClipping.clipGlobalNorm(policyParams.values(), settings.maxGradNorm());
        double criticNorm = GradientClipping.clipGlobalNorm(criticParams.values(), settings.maxGradNorm());
        if (!Double.isFinite(policyNorm) || !Double.isFinite(criticNorm)) {
            GradientClipping.zero(policyParams.values()); // overflowed: drop the step, as mixed-precision trainers do
            GradientClipping.zero(criticParams.values());
            stats.skippedStep();
            return 0;
        }
        policyOptimizer.update(policyParams, (float) settings.lr());
        criticOptimizer.update(criticParams, (float) settings.criticLr());
        stats.minibatch(
                pg.loss().getFloat(),
                vf.loss().getFloat(),
                pg.clipFrac(),
                vf.clipFrac(),
                pg.approxKl(),
                entropy,
                policyNorm,
                criticNorm);
        return pg.approxKl();
    }
}
