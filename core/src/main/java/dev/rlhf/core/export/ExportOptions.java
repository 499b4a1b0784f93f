package dev.rlhf.core.export;

import ai.djl.ndarray.NDArray;
import java.util.Objects;

/**
 * How to export a model: its serving role, the element type of its id and mask inputs, its reward head, the version
 * directory it is written to, and how its weights are stored.
 *
 * @param role what the model serves, which decides its output
 * @param idsType {@link ElementType#INT64} (the default) or {@link ElementType#INT32}, for clients that send int32
 *     ids; both inputs then take int32 and the graph casts them to int64
 * @param scoreWeight {@code score.weight} (1, D) for {@link ServingRole#RM}, {@code null} for the other roles
 * @param version the model version, the {@code <version>} of {@code <repository>/<name>/<version>/model.onnx}
 * @param weightType {@link WeightType#F32} (the default) or {@link WeightType#F16} storage of the model weights
 * @param alwaysExternal write the weights to the external-data side file {@code model.onnx.data} even when they fit
 *     in {@code model.onnx}; weights over {@link OnnxExporter#EXTERNAL_DATA_THRESHOLD} always go there
 */
public record ExportOptions(
        ServingRole role,
        ElementType idsType,
        NDArray scoreWeight,
        int version,
        WeightType weightType,
        boolean alwaysExternal) {

    public ExportOptions {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(idsType, "idsType");
        Objects.requireNonNull(weightType, "weightType");
        if (idsType == ElementType.FP32) {
            throw new IllegalArgumentException("idsType must be INT64 or INT32, got FP32");
        }
        if ((role == ServingRole.RM) != (scoreWeight != null)) {
            throw new IllegalArgumentException(
                    role == ServingRole.RM
                            ? "role rm needs score.weight (1, D): use ExportOptions.rewardModel"
                            : "role " + role.id() + " has no score head; score.weight is for rm only");
        }
        if (scoreWeight != null
                && (scoreWeight.getShape().dimension() != 2
                        || scoreWeight.getShape().get(0) != 1)) {
            throw new IllegalArgumentException("score.weight must be (1, D), got " + scoreWeight.getShape());
        }
        if (version < 1) {
            throw new IllegalArgumentException("version must be at least 1, got " + version);
        }
    }

    /** Float32 weights, external data only when they are large. */
    public ExportOptions(ServingRole role, ElementType idsType, NDArray scoreWeight, int version) {
        this(role, idsType, scoreWeight, version, WeightType.F32, false);
    }

    /** A {@link ServingRole#REF} or {@link ServingRole#POLICY} export returning log-probs, int64 inputs, version 1. */
    public static ExportOptions logProbs(ServingRole role) {
        return new ExportOptions(role, ElementType.INT64, null, 1);
    }

    /** A {@link ServingRole#RM} export with the reward head {@code score.weight} (1, D), int64 inputs, version 1. */
    public static ExportOptions rewardModel(NDArray scoreWeight) {
        return new ExportOptions(ServingRole.RM, ElementType.INT64, Objects.requireNonNull(scoreWeight), 1);
    }

    public ExportOptions withIdsType(ElementType type) {
        return new ExportOptions(role, type, scoreWeight, version, weightType, alwaysExternal);
    }

    public ExportOptions withVersion(int newVersion) {
        return new ExportOptions(role, idsType, scoreWeight, newVersion, weightType, alwaysExternal);
    }

    public ExportOptions withWeightType(WeightType type) {
        return new ExportOptions(role, idsType, scoreWeight, version, type, alwaysExternal);
    }

    /** Forces ({@code true}) the external-data side file for weights of any size. */
    public ExportOptions withAlwaysExternal(boolean always) {
        return new ExportOptions(role, idsType, scoreWeight, version, weightType, always);
    }
}
