package dev.rlhf.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

/**
 * Root-mean-square layer norm (Zhang and Sennrich, 2019): {@code y = x / sqrt(mean(x^2) + eps) * weight}.
 *
 * <p>No mean subtraction and no bias, as in Llama. The statistic is taken in float32 whatever the input type, as
 * transformers does, so that bf16 training normalises the same way.
 */
public final class RmsNorm extends AbstractBlock {

    private final int hiddenSize;
    private final float eps;
    private final Parameter weight;

    public RmsNorm(int hiddenSize, double eps) {
        this.hiddenSize = hiddenSize;
        this.eps = (float) eps;
        this.weight = addParameter(Parameter.builder()
                .setName("weight")
                .setType(Parameter.Type.GAMMA)
                .optInitializer(Initializer.ONES)
                .build());
    }

    /** The weight's shape is set here, not at construction, so that a model may be built on another's arrays. */
    @Override
    protected void prepare(Shape[] inputShapes) {
        weight.setShape(new Shape(hiddenSize));
    }

    public Parameter weight() {
        return weight;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray gamma = parameterStore.getValue(weight, x.getDevice(), training);
        return new NDList(normalize(x, gamma));
    }

    NDArray normalize(NDArray x, NDArray gamma) {
        DataType type = x.getDataType();
        NDArray x32 = type == DataType.FLOAT32 ? x : x.toType(DataType.FLOAT32, false);
        NDArray meanSquare = x32.square().mean(new int[] {-1}, true); // (..., 1)
        NDArray normed = x32.div(meanSquare.add(eps).sqrt()); // no pow(Number): see Scalars
        return (type == DataType.FLOAT32 ? normed : normed.toType(type, false)).mul(gamma);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
