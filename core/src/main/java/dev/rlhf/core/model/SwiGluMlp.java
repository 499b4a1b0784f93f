package dev.rlhf.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.rlhf.core.lora.LoraLinear;
import java.util.Map;

/**
 * The gated feed-forward layer of Llama (Shazeer, "GLU Variants Improve Transformer", 2020):
 * {@code down(silu(gate(x)) * up(x))}, with D the hidden size and F the intermediate size. Each projection is a
 * {@link LoraLinear}: a plain linear until a LoRA adapter is attached to it.
 */
public final class SwiGluMlp extends AbstractBlock {

    private final int hiddenSize;
    private final int intermediateSize;
    private final LoraLinear gateProj;
    private final LoraLinear upProj;
    private final LoraLinear downProj;

    public SwiGluMlp(LlamaConfig config) {
        this.hiddenSize = config.hiddenSize();
        this.intermediateSize = config.intermediateSize();
        this.gateProj = addChildBlock("gate_proj", new LoraLinear(intermediateSize, false));
        this.upProj = addChildBlock("up_proj", new LoraLinear(intermediateSize, false));
        this.downProj = addChildBlock("down_proj", new LoraLinear(hiddenSize, false));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow(); // (B, T, D)
        NDArray gate = gateProj.forward(parameterStore, inputs, training).singletonOrThrow(); // (B, T, F)
        NDArray up = upProj.forward(parameterStore, inputs, training).singletonOrThrow(); // (B, T, F)
        NDArray hidden = gate.mul(Activation.sigmoid(gate)).mul(up); // SiLU(gate) * up; no swish(beta): see Scalars
        return downProj.forward(parameterStore, new NDList(hidden), training); // (B, T, D)
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        gateProj.initialize(manager, dataType, new Shape(1, hiddenSize));
        upProj.initialize(manager, dataType, new Shape(1, hiddenSize));
        downProj.initialize(manager, dataType, new Shape(1, intermediateSize));
    }

    void collectParameters(String prefix, Map<String, Parameter> out) {
        gateProj.collectParameters(prefix + "gate_proj.", out);
        upProj.collectParameters(prefix + "up_proj.", out);
        downProj.collectParameters(prefix + "down_proj.", out);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
