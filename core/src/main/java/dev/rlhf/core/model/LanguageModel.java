package dev.rlhf.core.model;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import java.util.Map;

/**
 * A causal LM with its parameters in memory: the DJL {@link Model} that owns the arrays, the {@link CausalLm} block
 * and its config. Weights start as transformers initialises Llama (normal, std 0.02; norms at one) and are then
 * either trained or overwritten from a checkpoint.
 */
public final class LanguageModel implements AutoCloseable {

    private static final float INIT_STD = 0.02f;

    private final Model model;
    private final CausalLm block;

    private LanguageModel(Model model, CausalLm block) {
        this.model = model;
        this.block = block;
    }

    /** A randomly initialised model; the same seed gives the same weights. */
    public static LanguageModel create(LlamaConfig config, long seed) {
        Engine.getInstance().setRandomSeed((int) seed);
        Model model = Model.newInstance(config.modelType());
        CausalLm block = new CausalLm(config);
        block.setInitializer(new NormalInitializer(INIT_STD), Parameter.Type.WEIGHT);
        model.setBlock(block);
        block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 1));
        return new LanguageModel(model, block);
    }

    /**
     * A model of {@code source}'s config built on {@code source}'s weight arrays, not copies: what a rollout worker
     * of a LoRA policy samples with in the learner's JVM, one copy of the base for the learner and every worker. The
     * shared weights are frozen (no gradient in either model), so adapters attached to each model train and switch
     * independently; anything else the block allocates is its own. Closing either model leaves the other's arrays
     * alone except the shared ones, which belong to {@code source}: close {@code source} last.
     */
    public static LanguageModel sharingWeights(LanguageModel source) {
        Model model = Model.newInstance(source.config().modelType());
        CausalLm block = new CausalLm(source.config());
        Map<String, Parameter> shared = source.block.hfParameters();
        block.hfParameters().forEach((name, parameter) -> {
            Parameter from = shared.get(name);
            from.freeze(true);
            parameter.setArray(from.getArray());
            parameter.freeze(true);
        });
        block.setInitializer(new NormalInitializer(INIT_STD), Parameter.Type.WEIGHT);
        model.setBlock(block);
        block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 1));
        return new LanguageModel(model, block);
    }

    public LlamaConfig config() {
        return block.config();
    }

    public CausalLm block() {
        return block;
    }

    /** The DJL model, for building a {@code Trainer}. */
    public Model djlModel() {
        return model;
    }

    public NDManager manager() {
        return model.getNDManager();
    }

    /** A parameter store for inference (no gradients, no copies). */
    public ParameterStore inferenceStore() {
        return new ParameterStore(manager(), false);
    }

    /** Logits (B, T, V) of right- or left-padded ids (B, T) under a padding mask (B, T), without gradients. */
    public NDArray logits(NDArray ids, NDArray paddingMask) {
        return block.forward(inferenceStore(), new NDList(ids, paddingMask), false)
                .singletonOrThrow();
    }

    public long parameterCount() {
        return block.hfParameters().values().stream()
                .mapToLong(p -> p.getArray().size())
                .sum();
    }

    @Override
    public void close() {
        model.close();
    }
}
