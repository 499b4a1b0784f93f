package dev.rlhf.gateway.service;

import dev.rlhf.core.export.OnnxExporter;
import dev.rlhf.core.tokenizer.Tokenizer;
import dev.rlhf.gateway.inference.ModelSignature;
import dev.rlhf.proto.client.InferRequests;
import dev.rlhf.proto.inference.ModelConfig;
import dev.rlhf.proto.inference.ModelInferRequest;
import java.util.Arrays;
import java.util.Map;
import java.util.OptionalInt;

/** ModelInfer requests for one token sequence, in the input layout of {@code ./rlhf export}: ids and a mask of ones. */
final class SequenceRequests {
    private SequenceRequests() {}

    static ModelInferRequest of(String model, long[] ids, String output) {
        long[] mask = new long[ids.length];
        Arrays.fill(mask, 1);
        return InferRequests.int64(
                model,
                Map.of(OnnxExporter.INPUT_IDS, new long[][] {ids}, OnnxExporter.ATTENTION_MASK, new long[][] {mask}),
                output);
    }

    /** The model's {@code max_sequence_length}, when its configuration gives one. */
    static OptionalInt maxLength(ModelBackend model) {
        return ModelSignature.maxSequenceLength(model.config(""), "model '" + model.name() + "'");
    }

    /**
     * The model's output for {@code service}: {@code rewards} for an rm, {@code logprobs} for a ref or policy. A model of
     * another role (a {@code ref} asked for rewards) is refused naming the field {@code model}.
     */
    static String output(ModelBackend model, String expected, String service) {
        ModelConfig config = model.config("");
        if (config.getOutputCount() == 0) {
            throw new GatewayException.NotServable("model '" + model.name() + "' declares no output");
        }
        String output = config.getOutput(0).getName();
        if (!output.equals(expected)) {
            throw new GatewayException.InvalidRequest("model: '" + model.name() + "' serves '" + output + "', not '"
                    + expected + "' (" + service + " needs a model exported with --role "
                    + (expected.equals(OnnxExporter.REWARDS) ? "rm" : "ref or policy") + ")");
        }
        return output;
    }

    static Tokenizer tokenizer(ModelBackend model, String service) {
        return model.tokenizer()
                .orElseThrow(
                        () -> new GatewayException.NotServable("model '" + model.name() + "' has no tokenizer.json, "
                                + "which " + service
                                + " needs to encode text (put it beside config.pbtxt, or set gateway.models."
                                + model.name() + ".tokenizer for a forwarded model)"));
    }
}
