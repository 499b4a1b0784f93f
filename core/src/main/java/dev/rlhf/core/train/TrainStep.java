package dev.rlhf.core.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.rlhf.core.model.CausalLm;
import dev.rlhf.core.model.Scalars;
import java.util.function.Function;

/**
 * Forward and backward over one micro-batch. Gradients add up in the parameters until the optimizer's update zeroes
 * them, which is how gradient accumulation works: scale each micro-batch's loss by 1 / micro-batches per step.
 */
public final class TrainStep {

    private static final NextTokenLoss NEXT_TOKEN = new NextTokenLoss();

    private TrainStep() {}

    /**
     * Forward and backward of the {@link NextTokenLoss} over one micro-batch, the head applied to the positions the
     * loss reads ({@link CausalLm#nextTokenLogits}).
     *
     * @param inputs what the model takes, (ids, padding mask) or (ids, positions, bias); intermediates land in their
     *     manager
     * @param labels what the loss takes, (ids, loss mask)
     * @return the unscaled loss
     */
    public static float backward(CausalLm lm, NDList inputs, NDList labels, float scale) {
        return backward(
                        inputs.head().getManager(),
                        ps -> new NDList(NEXT_TOKEN.evaluate(labels, new NDList(lm.nextTokenLogits(ps, inputs, true)))),
                        scale)
                .head()
                .getFloat();
    }

    /**
     * As {@link #backward(CausalLm, NDList, NDList, float)} with activation checkpointing ({@link
     * CheckpointedBackward}): the same loss and gradients, one more forward of the layers, a layer's activations held
     * at a time instead of all of them.
     */
    public static float backwardCheckpointed(CausalLm lm, NDList inputs, NDList labels, float scale) {
        long length = inputs.get(0).getShape().get(1);
        return CheckpointedBackward.backward(
                        lm.backbone(),
                        inputs,
                        (ps, hidden) -> {
                            NDArray shifted = hidden.get(new NDIndex(":, 0:{}", length - 1)); // (B, T-1, D)
                            NDArray logits = lm.head(ps, shifted, true);
                            return new NDList(NEXT_TOKEN.evaluate(labels, new NDList(logits)));
                        },
                        scale)
                .head()
                .getFloat();
    }

    /**
     * Forward and backward through any graph, e.g. a reward model's (backbone, head and a gather at the last real
     * token).
     *
     * @param manager where the parameter store puts intermediates
     * @param forward computes, from a training parameter store, the loss first and then anything the caller wants back
     *     (e.g. the rewards, to count correct pairs)
     * @return what {@code forward} returned; element 0 is the unscaled loss
     */
    public static NDList backward(NDManager manager, Function<ParameterStore, NDList> forward, float scale) {
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDList out = forward.apply(new ParameterStore(manager, false));
            NDArray value = out.head();
            gc.backward(scale == 1f ? value : value.mul(Scalars.like(value, scale)));
            return out;
        }
    }
}
