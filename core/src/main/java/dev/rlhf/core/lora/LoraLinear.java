package dev.rlhf.core.lora;

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
import dev.rlhf.core.model.NoGrad;
import java.util.Map;

/**
 * A linear layer {@code y = W x (+ b)} that may carry a {@link LoraAdapter}: {@code y = W x (+ b) + s B A
 * dropout(x)}. Without an adapter it is exactly DJL's {@link Linear}; every projection of attention and MLP is one, so
 * that adapters can be attached to a model loaded as usual. The base weight keeps its Hugging Face name ({@code
 * q_proj.weight}); the adapter's tensors are not among the block's parameters, {@link LoraModel} names them.
 *
 * <p>States: no adapter; adapter on; adapter off ({@link #enable}, for the reference model of PPO); merged (the update
 * added into W, {@link #merge}), where the forward is the base linear again; unloaded ({@link #mergeAndUnload}), a
 * plain linear whose W holds the update.
 */
public final class LoraLinear extends AbstractBlock {

    private final Linear base;
    private LoraAdapter adapter;
    private boolean enabled = true;
    private boolean merged;

    public LoraLinear(int units, boolean bias) {
        this.base = addChildBlock(
                "base_layer", Linear.builder().setUnits(units).optBias(bias).build());
    }

    /** W (M, N). */
    public Parameter weight() {
        return base.getParameters().get("weight");
    }

    /** The base layer's parameters under {@code prefix}: {@code prefix + "weight"} and, if any, {@code "bias"}. */
    public void collectParameters(String prefix, Map<String, Parameter> out) {
        base.getParameters().forEach(p -> out.put(prefix + p.getKey(), p.getValue()));
    }

    /** Attaches a fresh adapter shaped after W; see {@link LoraAdapter#create}. */
    public LoraAdapter attach(LoraSettings settings, NDManager manager) {
        if (adapter != null) {
            throw new IllegalStateException("this linear already has an adapter");
        }
        Shape w = weight().getArray().getShape(); // (M, N)
        adapter = LoraAdapter.create(settings, w.get(1), w.get(0), manager);
        return adapter;
    }

    /** The adapter, or null when none is attached. */
    public LoraAdapter adapter() {
        return adapter;
    }

    /** Switches the adapter's contribution on or off; the base output is unaffected. */
    public void enable(boolean on) {
        this.enabled = on;
    }

    public boolean isMerged() {
        return merged;
    }

    /** {@code W += s B A}, in place; the forward then skips the adapter. */
    public void merge() {
        requireAdapter();
        if (!merged) {
            addToWeight(1);
            merged = true;
        }
    }

    /** {@code W -= s B A}, undoing {@link #merge} up to float rounding. */
    public void unmerge() {
        requireAdapter();
        if (merged) {
            addToWeight(-1);
            merged = false;
        }
    }

    /**
     * {@code W += s B A} for good and the adapter dropped (PEFT's {@code merge_and_unload}): the layer is a plain
     * linear again, ready for another adapter. The adapter's arrays are freed.
     */
    public void mergeAndUnload() {
        requireAdapter();
        if (!merged) {
            addToWeight(1);
        }
        adapter.close();
        adapter = null;
        merged = false;
        enabled = true;
    }

    private void addToWeight(int sign) {
        NDArray w = weight().getArray();
        try (NoGrad noGrad = NoGrad.open();
                NDManager scope = w.getManager().newSubManager()) {
            NDArray delta = adapter.weightDelta(); // (M, N)
            delta.attach(scope);
            if (sign > 0) {
                w.addi(delta);
            } else {
                w.subi(delta);
            }
        }
    }

    private void requireAdapter() {
        if (adapter == null) {
            throw new IllegalStateException("no adapter attached to this linear");
        }
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList y = base.forward(parameterStore, inputs, training); // (..., M)
        if (adapter == null || !enabled || merged) {
            return y;
        }
        NDArray x = inputs.singletonOrThrow(); // (..., N)
        return new NDList(y.singletonOrThrow().add(adapter.delta(parameterStore, x, training)));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        base.initialize(manager, dataType, inputShapes);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return base.getOutputShapes(inputShapes);
    }
}
