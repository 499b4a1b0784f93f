package dev.rlhf.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One scalar per position from the decoder's hidden states, (B, T, D) to (B, T): the reward model's and the critic's
 * head. Stored as {@code score.weight} (1, D), the name transformers gives {@code *ForSequenceClassification} with
 * {@code num_labels=1}.
 */
public final class ScalarHead extends AbstractBlock {

    public static final String HF_NAME = "score.weight";

    private final int hiddenSize;
    private final Linear score;

    public ScalarHead(int hiddenSize) {
        this.hiddenSize = hiddenSize;
        this.score = addChildBlock(
                "score", Linear.builder().setUnits(1).optBias(false).build());
    }

    public Parameter weight() {
        return score.getParameters().get("weight");
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray values = score.forward(parameterStore, inputs, training).singletonOrThrow(); // (B, T, 1)
        return new NDList(values.squeeze(-1)); // (B, T)
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        score.initialize(manager, dataType, new Shape(1, hiddenSize));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {in.slice(0, in.dimension() - 1)};
    }
}
