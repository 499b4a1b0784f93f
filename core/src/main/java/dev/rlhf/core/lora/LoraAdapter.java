package dev.rlhf.core.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import dev.rlhf.core.model.Scalars;

/**
 * The low-rank update of one linear: {@code delta(x) = s B A dropout(x)}, with N input features, M output features
 * and rank R; A is (R, N) and B is (M, R), the shapes of PEFT's {@code lora_A.weight} and {@code lora_B.weight}.
 *
 * <p>Initialised as PEFT does ({@code LoraLayer.reset_lora_parameters} with {@code init_lora_weights=True}): A by
 * {@code kaiming_uniform_(a=sqrt(5))}, which over fan-in N is uniform in [-1/sqrt(N), 1/sqrt(N)] (gain sqrt(2 / (1 +
 * a^2)) = sqrt(1/3), bound gain sqrt(3 / N)), and B zero, so that a fresh adapter adds exactly zero.
 */
public final class LoraAdapter {

    private final Parameter a;
    private final Parameter b;
    private final float scale;
    private final float dropout;

    private LoraAdapter(Parameter a, Parameter b, float scale, float dropout) {
        this.a = a;
        this.b = b;
        this.scale = scale;
        this.dropout = dropout;
    }

    /**
     * A fresh adapter for a linear of {@code inFeatures} -&gt; {@code outFeatures}, its arrays in {@code manager}; A
     * draws from the engine's random generator (seed it first for reproducible adapters).
     */
    public static LoraAdapter create(LoraSettings settings, long inFeatures, long outFeatures, NDManager manager) {
        float bound = (float) (1 / Math.sqrt(inFeatures));
        Initializer kaimingUniform = (m, shape, type) -> m.randomUniform(-bound, bound, shape, type);
        Parameter a = parameter("lora_A", new Shape(settings.r(), inFeatures), kaimingUniform, manager);
        Parameter b = parameter("lora_B", new Shape(outFeatures, settings.r()), Initializer.ZEROS, manager);
        return new LoraAdapter(a, b, settings.scale(), (float) settings.dropout());
    }

    private static Parameter parameter(String name, Shape shape, Initializer init, NDManager manager) {
        Parameter p = Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.WEIGHT)
                .optShape(shape)
                .optInitializer(init)
                .build();
        p.initialize(manager, DataType.FLOAT32); // and requires a gradient
        return p;
    }

    /** A (R, N), PEFT's {@code lora_A.weight}. */
    public Parameter loraA() {
        return a;
    }

    /** B (M, R), PEFT's {@code lora_B.weight}. */
    public Parameter loraB() {
        return b;
    }

    public float scale() {
        return scale;
    }

    /** {@code s B A dropout(x)} for x (..., N): (..., M); dropout only when {@code training}. */
    public NDArray delta(ParameterStore ps, NDArray x, boolean training) {
        NDArray in = training && dropout > 0 ? Dropout.dropout(x, dropout, true).singletonOrThrow() : x;
        NDArray down =
                Linear.linear(in, ps.getValue(a, x.getDevice(), training)).singletonOrThrow(); // (..., R)
        NDArray up =
                Linear.linear(down, ps.getValue(b, x.getDevice(), training)).singletonOrThrow(); // (..., M)
        return up.mul(Scalars.like(up, scale)); // no mul(Number) under autograd: see Scalars
    }

    /** {@code s B A} (M, N), what merging adds to the base weight; the caller owns the result. */
    public NDArray weightDelta() {
        NDArray product = b.getArray().matMul(a.getArray()); // (M, R) x (R, N) -> (M, N)
        return product.muli(scale);
    }

    /** Frees A and B (after {@link LoraLinear#mergeAndUnload}, nothing reads them). */
    void close() {
        a.getArray().close();
        b.getArray().close();
    }

    /** Adapter parameters: A and B. */
    public long parameterCount() {
        return a.getArray().size() + b.getArray().size();
    }
}
