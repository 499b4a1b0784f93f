package dev.rlhf.core.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import dev.rlhf.core.model.Scalars;
import java.util.function.Function;

/**
 * Forward and backward over one micro-batch. Gradients add up in the parameters until the optimizer's update zeroes
 * them, which is how gradient accumulation works: scale each micro-batch's loss by 1 / micro-batches per step.
 */
public final class TrainStep {

    private TrainStep() {}

    /**
     * @param inputs what the block takes, e.g. (ids, padding mask); intermediates land in their manager
     * @param labels what the loss takes, e.g. (ids, loss mask)
     * @return the unscaled loss
     */
    public static float backward(Block block, NDList inputs, NDList labels, Loss loss, float scale) {
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            ParameterStore store = new ParameterStore(inputs.head().getManager(), false);
            NDList predictions = block.forward(store, inputs, true);
            NDArray value = loss.evaluate(labels, predictions);
            gc.backward(scale == 1f ? value : value.mul(Scalars.like(value, scale)));
            return value.getFloat();
        }
    }

    /**
     * Forward and backward through any graph, for models that are not one block (a reward model: backbone, head and
     * a gather at the last real token).
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
