package dev.rlhf.gateway;

import dev.rlhf.proto.client.InferRequests;
import dev.rlhf.proto.inference.InferTensorContents;
import dev.rlhf.proto.inference.ModelInferRequest;
import dev.rlhf.proto.inference.ModelInferRequest.InferInputTensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/** ModelInfer requests for the test models: ids and mask, as raw or typed contents. */
public final class TestRequests {
    private TestRequests() {}

    /** Ids and a mask of ones, raw little-endian INT64. */
    public static ModelInferRequest raw(String model, long[][] ids, String output) {
        Map<String, long[][]> inputs = new LinkedHashMap<>();
        inputs.put("input_ids", ids);
        inputs.put("attention_mask", ones(ids));
        return InferRequests.int64(model, inputs, output);
    }

    /** Ids and mask as typed {@code int64_contents}. */
    public static ModelInferRequest typed(String model, long[][] ids, long[][] mask) {
        return ModelInferRequest.newBuilder()
                .setModelName(model)
                .addInputs(typedInput("input_ids", ids))
                .addInputs(typedInput("attention_mask", mask))
                .build();
    }

    public static InferInputTensor typedInput(String name, long[][] rows) {
        InferTensorContents.Builder contents = InferTensorContents.newBuilder();
        for (long[] row : rows) {
            Arrays.stream(row).forEach(contents::addInt64Contents);
        }
        return InferInputTensor.newBuilder()
                .setName(name)
                .setDatatype("INT64")
                .addShape(rows.length)
                .addShape(rows[0].length)
                .setContents(contents)
                .build();
    }

    public static long[][] ones(long[][] ids) {
        long[][] mask = new long[ids.length][];
        for (int r = 0; r < ids.length; r++) {
            mask[r] = new long[ids[r].length];
            Arrays.fill(mask[r], 1);
        }
        return mask;
    }

    /** {@code length} random ids below the test vocabulary size (300). */
    public static long[] randomIds(SplittableRandom random, int length) {
        return random.longs(length, 0, 300).toArray();
    }
}
