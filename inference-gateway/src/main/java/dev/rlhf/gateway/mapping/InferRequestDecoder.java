package dev.rlhf.gateway.mapping;

import com.google.protobuf.ByteString;
import dev.rlhf.core.export.OnnxExporter;
import dev.rlhf.gateway.inference.InferCall;
import dev.rlhf.gateway.inference.ModelSignature;
import dev.rlhf.gateway.service.GatewayException.InvalidRequest;
import dev.rlhf.gateway.service.TokenInputs;
import dev.rlhf.proto.inference.DataType;
import dev.rlhf.proto.inference.InferTensorContents;
import dev.rlhf.proto.inference.ModelInferRequest;
import dev.rlhf.proto.inference.ModelInferRequest.InferInputTensor;
import dev.rlhf.proto.inference.ModelInferRequest.InferRequestedOutputTensor;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Turns a v2 ModelInferRequest for an in-process model into an {@link InferCall}, checking it against the model's
 * signature first. Every rejection is an {@link InvalidRequest} whose message names the input or output.
 *
 * <p>Integer inputs are accepted as INT64 or INT32 whatever the model's type (values are range-checked when narrowed),
 * as typed {@code contents} or as little-endian {@code raw_input_contents} (then for every input).
 */
public final class InferRequestDecoder {
    private InferRequestDecoder() {}

    public static InferCall decode(ModelInferRequest request, ModelSignature signature) {
        checkNames(request, signature);
        int raw = request.getRawInputContentsCount();
        if (raw > 0 && raw != request.getInputsCount()) {
            throw new InvalidRequest("raw_input_contents has " + raw + " entries for " + request.getInputsCount()
                    + " inputs; send raw contents for every input or for none");
        }
        Map<String, long[]> values = new LinkedHashMap<>();
        InferInputTensor first = null;
        for (int i = 0; i < request.getInputsCount(); i++) {
            InferInputTensor tensor = request.getInputs(i);
            ModelSignature.Input input = signature.input(tensor.getName()).orElseThrow();
            checkShape(tensor, first, signature);
            first = first == null ? tensor : first;
            int elements = Math.toIntExact(tensor.getShape(0) * tensor.getShape(1));
            long[] data = raw > 0
                    ? fromRaw(tensor, request.getRawInputContents(i), elements)
                    : fromContents(tensor, elements);
            if (input.type() == DataType.TYPE_INT32) {
                checkInt32(tensor.getName(), data);
            }
            checkTokens(tensor, data);
            values.put(tensor.getName(), data);
        }
        return new InferCall(
                request.getId(),
                Math.toIntExact(first.getShape(0)),
                Math.toIntExact(first.getShape(1)),
                values,
                requestedOutputs(request, signature));
    }

    private static void checkNames(ModelInferRequest request, ModelSignature signature) {
        Set<String> seen = new HashSet<>();
        for (InferInputTensor tensor : request.getInputsList()) {
            if (signature.input(tensor.getName()).isEmpty()) {
                throw new InvalidRequest("unknown input '" + tensor.getName() + "' for model '" + signature.name()
                        + "' (inputs: " + String.join(", ", signature.inputNames()) + ")");
            }
            if (!seen.add(tensor.getName())) {
                throw new InvalidRequest("input '" + tensor.getName() + "' is given twice");
            }
        }
        for (String name : signature.inputNames()) {
            if (!seen.contains(name)) {
                throw new InvalidRequest("missing input '" + name + "' for model '" + signature.name() + "'");
            }
        }
    }

    private static void checkShape(InferInputTensor tensor, InferInputTensor first, ModelSignature signature) {
        String name = "input '" + tensor.getName() + "'";
        String type = tensor.getDatatype();
        if (!type.equals("INT64") && !type.equals("INT32")) {
            throw new InvalidRequest(
                    name + ": expected INT64 or INT32, got " + (type.isEmpty() ? "no datatype" : type));
        }
        List<Long> shape = tensor.getShapeList();
        if (shape.size() != 2) {
            throw new InvalidRequest(name + ": expected shape [batch, sequence], got " + shape);
        }
        if (shape.get(0) < 1 || shape.get(1) < 1) {
            throw new InvalidRequest(name + ": shape " + shape + " has an empty or negative dimension");
        }
        if (shape.get(0) > signature.maxBatchSize()) {
            throw new InvalidRequest(name + ": batch size " + shape.get(0) + " exceeds max_batch_size "
                    + signature.maxBatchSize() + " of model '" + signature.name() + "'");
        }
        if (signature.maxSequenceLength().isPresent()
                && shape.get(1) > signature.maxSequenceLength().getAsInt()) {
            throw new InvalidRequest(name + ": sequence length " + shape.get(1) + " exceeds "
                    + ModelSignature.MAX_SEQUENCE_LENGTH + " "
                    + signature.maxSequenceLength().getAsInt()
                    + " of model '" + signature.name() + "'");
        }
        if (shape.get(0) * shape.get(1) > Integer.MAX_VALUE / Long.BYTES) {
            throw new InvalidRequest(name + ": shape " + shape + " is too large");
        }
        if (first != null && !shape.equals(first.getShapeList())) {
            throw new InvalidRequest(name + ": shape " + shape + " differs from input '" + first.getName() + "' shape "
                    + first.getShapeList());
        }
    }

    private static long[] fromRaw(InferInputTensor tensor, ByteString raw, int elements) {
        boolean int64 = tensor.getDatatype().equals("INT64");
        int width = int64 ? Long.BYTES : Integer.BYTES;
        if (hasContents(tensor.getContents())) {
            throw new InvalidRequest("input '" + tensor.getName() + "': both contents and raw_input_contents given");
        }
        if (raw.size() != (long) elements * width) {
            throw new InvalidRequest("input '" + tensor.getName() + "': shape " + tensor.getShapeList() + " of "
                    + tensor.getDatatype() + " needs " + (long) elements * width
                    + " bytes of raw_input_contents, got " + raw.size());
        }
        long[] out = new long[elements];
        var buffer = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < elements; i++) {
            out[i] = int64 ? buffer.getLong() : buffer.getInt();
        }
        return out;
    }

    private static long[] fromContents(InferInputTensor tensor, int elements) {
        boolean int64 = tensor.getDatatype().equals("INT64");
        InferTensorContents contents = tensor.getContents();
        int count = int64 ? contents.getInt64ContentsCount() : contents.getIntContentsCount();
        if (count != elements) {
            throw new InvalidRequest("input '" + tensor.getName() + "': shape " + tensor.getShapeList() + " needs "
                    + elements + " elements, got " + count + " in contents."
                    + (int64 ? "int64_contents" : "int_contents"));
        }
        long[] out = new long[elements];
        for (int i = 0; i < elements; i++) {
            out[i] = int64 ? contents.getInt64Contents(i) : contents.getIntContents(i);
        }
        return out;
    }

    private static boolean hasContents(InferTensorContents c) {
        return c.getInt64ContentsCount()
                        + c.getIntContentsCount()
                        + c.getFp32ContentsCount()
                        + c.getBoolContentsCount()
                        + c.getUintContentsCount()
                        + c.getUint64ContentsCount()
                        + c.getFp64ContentsCount()
                        + c.getBytesContentsCount()
                > 0;
    }

    /** Ids and masks under the names {@code ./rlhf export} gives them. */
    private static void checkTokens(InferInputTensor tensor, long[] data) {
        String name = "input '" + tensor.getName() + "'";
        if (tensor.getName().equals(OnnxExporter.INPUT_IDS)) {
            TokenInputs.checkIds(name, data, OptionalInt.empty());
        } else if (tensor.getName().equals(OnnxExporter.ATTENTION_MASK)) {
            TokenInputs.checkMask(name, data, Math.toIntExact(tensor.getShape(0)), Math.toIntExact(tensor.getShape(1)));
        }
    }

    private static void checkInt32(String name, long[] values) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] != (int) values[i]) {
                throw new InvalidRequest("input '" + name + "': value " + values[i] + " at element " + i
                        + " does not fit the model's INT32");
            }
        }
    }

    private static List<String> requestedOutputs(ModelInferRequest request, ModelSignature signature) {
        List<String> names = new ArrayList<>();
        for (InferRequestedOutputTensor output : request.getOutputsList()) {
            if (signature.output(output.getName()).isEmpty()) {
                throw new InvalidRequest("unknown output '" + output.getName() + "' requested from model '"
                        + signature.name() + "' (outputs: " + String.join(", ", signature.outputNames()) + ")");
            }
            names.add(output.getName());
        }
        return names;
    }
}
