package dev.rlhf.core.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.rlhf.core.model.LlamaModel;
import dev.rlhf.core.model.ModelInputs;
import dev.rlhf.core.model.NoGrad;
import dev.rlhf.core.model.RotaryEmbedding;
import dev.rlhf.core.model.Scalars;
import java.util.function.BiFunction;

/**
 * Forward and backward through a decoder stack with activation checkpointing (Chen et al. 2016, "Training Deep Nets
 * with Sublinear Memory Cost"; transformers' {@code gradient_checkpointing}): only each layer's input x_i (B, T, D) is
 * kept between the passes, not every intermediate of every layer.
 *
 * <ol>
 *   <li>Without gradients: x_0 = embed(ids), x_{i+1} = layer_i(x_i), each layer's intermediates freed as it ends.
 *   <li>The top with gradients from x_L: final norm, head and loss; its backward gives the parameters' gradients up
 *       there and g_L = d loss / d x_L.
 *   <li>From the last layer down: layer_i again from x_i, with gradients, and the backward of sum(layer_i(x_i) * g_{i+1}),
 *       whose gradient with respect to layer_i's output is g_{i+1}: the parameters (or adapters) of layer i get exactly
 *       the gradient of the whole graph, and x_i's gradient is g_i (the chain rule, one layer at a time).
 *   <li>The embedding, when it trains, likewise from g_0.
 * </ol>
 *
 * It costs one more forward of the layers and saves all but one layer's activations. The recomputed forward must
 * equal the first, so the layers may not draw random numbers: LoRA dropout with checkpointing is refused by the job's
 * configuration.
 */
public final class CheckpointedBackward {

    private CheckpointedBackward() {}

    /**
     * @param stack the decoder stack
     * @param inputs (ids, padding mask) or (ids, positions, bias); the arrays it returns land in their manager
     * @param top from a training parameter store and the final-normed hidden states (B, T, D): the loss first, then
     *     anything the caller wants back
     * @return what {@code top} returned; element 0 is the unscaled loss
     */
    public static NDList backward(
            LlamaModel stack, NDList inputs, BiFunction<ParameterStore, NDArray, NDList> top, float scale) {
        NDManager manager = inputs.head().getManager();
        ModelInputs in = stack.inputs(inputs);
        RotaryEmbedding.Angles angles =
                stack.angles(in.positions(), in.ids().getShape().get(1));
        int layers = stack.layerCount();
        NDArray[] saved = new NDArray[layers + 1];
        try (NoGrad noGrad = NoGrad.open()) {
            ParameterStore ps = new ParameterStore(manager, false);
            saved[0] = stack.embed(ps, in.ids(), false);
            for (int i = 0; i < layers; i++) {
                try (NDManager scope = manager.newSubManager()) {
                    scope.tempAttachAll(saved[i]);
                    saved[i + 1] = stack.layer(i, ps, saved[i], angles, in.bias(), false);
                    saved[i + 1].attach(manager);
                }
            }
        }
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            ParameterStore ps = new ParameterStore(manager, false);
            NDList out;
            NDArray gradient;
            try (NDManager scope = manager.newSubManager()) {
                NDArray x = saved[layers];
                scope.tempAttachAll(x);
                x.setRequiresGradient(true);
                out = top.apply(ps, stack.finalNorm(ps, x, true));
                NDArray loss = out.head();
                gc.backward(scale == 1f ? loss : loss.mul(Scalars.like(loss, scale)));
                out.attach(manager);
                gradient = keep(x.getGradient(), manager);
            }
            for (int i = layers - 1; i >= 0; i--) {
                saved[i + 1].close();
                try (NDManager scope = manager.newSubManager()) {
                    NDArray x = saved[i];
                    scope.tempAttachAll(x);
                    x.setRequiresGradient(true);
                    NDArray y = stack.layer(i, ps, x, angles, in.bias(), true);
                    gc.backward(y.mul(gradient).sum());
                    gradient.close();
                    gradient = keep(x.getGradient(), manager);
                }
            }
            saved[0].close();
            if (stack.embeddingWeight().requiresGradient()) { // it trains (not frozen under adapters)
                try (NDManager scope = manager.newSubManager()) {
                    NDArray ids = in.ids();
                    scope.tempAttachAll(ids);
                    gc.backward(stack.embed(ps, ids, true).mul(gradient).sum());
                }
            }
            gradient.close();
            return out;
        }
    }

    /** A copy of {@code gradient} owned by {@code manager}, outliving the scope whose backward made it. */
    private static NDArray keep(NDArray gradient, NDManager manager) {
        NDArray copy = gradient.duplicate();
        copy.attach(manager);
        return copy;
    }
}
