package dev.rlhf.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.LogProbs;
import dev.rlhf.core.model.RewardModel;
import dev.rlhf.core.model.Scalars;
import dev.rlhf.core.model.TestModels;
import dev.rlhf.core.ppo.Entropy;
import dev.rlhf.core.ppo.PpoLoss;
import dev.rlhf.core.ppo.PpoObjective;
import dev.rlhf.core.ppo.ValueLoss;
import dev.rlhf.core.rm.RankingLoss;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Gradients do not depend on when the garbage collector runs. DJL's {@code op(Number)} frees its scalar operand right
 * after the op, while autograd may still read it in backward (see {@link Scalars}); this collects garbage and reuses
 * freed direct memory, filled with NaN, between forward and backward, which turned such gradients into NaN every time.
 */
class GradientLifetimeTest {

    /** Collects garbage, then allocates small direct buffers full of NaN into the memory it freed. */
    private static void churn() {
        System.gc();
        List<ByteBuffer> junk = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(4 + 4 * (i % 4)).order(ByteOrder.nativeOrder());
            while (buffer.remaining() >= 4) {
                buffer.putFloat(Float.NaN);
            }
            junk.add(buffer);
        }
    }

    /** Parameter gradients of one backward pass of {@code loss}, optionally churning memory before backward. */
    private static Map<String, float[]> gradients(
            Map<String, Parameter> parameters,
            NDManager parent,
            Function<ParameterStore, NDArray> loss,
            boolean churn) {
        Map<String, float[]> out = new LinkedHashMap<>();
        try (NDManager m = parent.newSubManager()) {
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray value = loss.apply(new ParameterStore(m, false));
                if (churn) {
                    churn();
                }
                gc.backward(value.mul(Scalars.like(value, 0.5f)));
            }
            parameters.forEach((name, p) -> {
                out.put(name, p.getArray().getGradient().toFloatArray());
                p.getArray().getGradient().muli(0);
            });
        }
        return out;
    }

    private static void assertSame(Map<String, float[]> expected, Map<String, float[]> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((name, g) -> assertArrayEquals(g, actual.get(name), 1e-6f, name));
    }

    @Test
    void causalLmGradientsSurviveGarbageCollectionBeforeBackward() {
        try (LanguageModel lm = LanguageModel.create(TestModels.tiny(40, 4, 2, false), 3)) {
            NDArray ids = lm.manager().randomInteger(1, 40, new Shape(2, 12), DataType.INT64);
            NDArray mask = lm.manager().ones(new Shape(2, 12), DataType.INT64);
            NextTokenLoss next = new NextTokenLoss();
            Function<ParameterStore, NDArray> loss = ps -> next.evaluate(
                    new NDList(ids, mask), new NDList(lm.block().nextTokenLogits(ps, new NDList(ids, mask), true)));
            Map<String, Parameter> parameters = lm.block().hfParameters();
            assertSame(
                    gradients(parameters, lm.manager(), loss, false), gradients(parameters, lm.manager(), loss, true));
        }
    }

    @Test
    void qwen3AndLlama3RopeGradientsSurviveGarbageCollectionBeforeBackward() {
        for (var config : new dev.rlhf.core.model.LlamaConfig[] {TestModels.qwen3(40), TestModels.llama3Rope(40)}) {
            try (LanguageModel lm = LanguageModel.create(config, 3)) {
                NDArray ids = lm.manager().randomInteger(1, 40, new Shape(2, 12), DataType.INT64);
                NDArray mask = lm.manager().ones(new Shape(2, 12), DataType.INT64);
                NextTokenLoss next = new NextTokenLoss();
                Function<ParameterStore, NDArray> loss = ps -> next.evaluate(
                        new NDList(ids, mask), new NDList(lm.block().nextTokenLogits(ps, new NDList(ids, mask), true)));
                Map<String, Parameter> parameters = lm.block().hfParameters();
                assertSame(
                        gradients(parameters, lm.manager(), loss, false),
                        gradients(parameters, lm.manager(), loss, true));
            }
        }
    }

    @Test
    void rewardModelGradientsSurviveGarbageCollectionBeforeBackward() {
        try (RewardModel rm = RewardModel.withNewHead(LanguageModel.create(TestModels.tiny(40, 4, 2, true), 4), 5)) {
            NDManager manager = rm.languageModel().manager();
            NDArray ids = manager.randomInteger(1, 40, new Shape(4, 10), DataType.INT64);
            NDArray mask = manager.create(new long[][] {
                {1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, {1, 1, 1, 1, 1, 1, 0, 0, 0, 0},
                {1, 1, 1, 1, 1, 1, 1, 1, 0, 0}, {1, 1, 1, 0, 0, 0, 0, 0, 0, 0}
            });
            Function<ParameterStore, NDArray> loss = ps ->
                    RankingLoss.evaluate(rm.rewards(ps, ids, mask, true), new int[] {2, 2}, new float[] {0f, 0.5f});
            Map<String, Parameter> parameters = rm.hfParameters();
            assertSame(gradients(parameters, manager, loss, false), gradients(parameters, manager, loss, true));
        }
    }

    @Test
    void ppoLossGradientsSurviveGarbageCollectionBeforeBackward() {
        try (RewardModel actorCritic =
                RewardModel.withNewHead(LanguageModel.create(TestModels.tiny(40, 4, 2, true), 6), 7)) {
            NDManager manager = actorCritic.languageModel().manager();
            NDArray ids = manager.randomInteger(1, 40, new Shape(2, 9), DataType.INT64);
            NDArray mask = manager.ones(new Shape(2, 8));
            NDArray oldLogp = manager.randomUniform(-4f, -1f, new Shape(2, 8));
            NDArray advantages = manager.randomNormal(new Shape(2, 8));
            NDArray oldValues = manager.randomNormal(new Shape(2, 8));
            NDArray returns = manager.randomNormal(new Shape(2, 8));
            NDArray full = manager.ones(new Shape(2, 9), DataType.INT64);
            Function<ParameterStore, NDArray> loss = ps -> {
                NDArray logits = actorCritic
                        .languageModel()
                        .block()
                        .forward(ps, new NDList(ids, full), true)
                        .head();
                NDArray logp = LogProbs.ofNextTokens(logits, ids); // (2, 8)
                NDArray values = actorCritic.values(ps, ids, full, true).get(new NDIndex(":, 1:"));
                NDArray policy =
                        PpoLoss.compute(logp, oldLogp, advantages, mask, 0.2).loss();
                NDArray value =
                        ValueLoss.compute(values, oldValues, returns, mask, 0.2).loss();
                return PpoObjective.total(
                        policy, value, Entropy.mean(logits.get(new NDIndex(":, :-1")), mask), 0.1, 0.01);
            };
            Map<String, Parameter> parameters = actorCritic.hfParameters();
            assertSame(gradients(parameters, manager, loss, false), gradients(parameters, manager, loss, true));
        }
    }
}
