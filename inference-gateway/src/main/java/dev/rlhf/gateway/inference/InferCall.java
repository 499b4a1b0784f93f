package dev.rlhf.gateway.inference;

import java.util.List;
import java.util.Map;

/**
 * One validated ModelInfer request for an in-process model: every input holds {@code rows x length} values, row-major,
 * widened to long whatever the wire type.
 *
 * @param id the request's id, echoed in the response
 * @param outputs the outputs asked for; empty means all
 */
public record InferCall(String id, int rows, int length, Map<String, long[]> inputs, List<String> outputs) {

    public InferCall {
        inputs = Map.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }
}
