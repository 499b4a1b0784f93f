package dev.rlhf.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** Token id (B, T) to vector (B, T, D) by row lookup in a (V, D) table; the table doubles as a tied LM head. */
public final class TokenEmbedding extends AbstractBlock {

    private final int vocabSize;
    private final int hiddenSize;
    private final Parameter weight;

    public TokenEmbedding(int vocabSize, int hiddenSize) {
        this.vocabSize = vocabSize;
        this.hiddenSize = hiddenSize;
        this.weight = addParameter(Parameter.builder()
                .setName("weight")
                .setType(Parameter.Type.WEIGHT)
                .build());
    }

    /** The table's shape is set here, not at construction, so that a model may be built on another's arrays. */
    @Override
    protected void prepare(Shape[] inputShapes) {
        weight.setShape(new Shape(vocabSize, hiddenSize));
    }

    public Parameter weight() {
        return weight;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray ids = inputs.singletonOrThrow();
        if (ids.getDataType() != DataType.INT64) {
            ids = ids.toType(DataType.INT64, false);
        }
        NDArray table = parameterStore.getValue(weight, ids.getDevice(), training);
        return ids.getNDArrayInternal().embedding(ids, table, SparseFormat.DENSE);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0].add(weight.getShape().get(1))};
    }
}
