package dev.rlhf.proto.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import io.grpc.MethodDescriptor.MethodType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Field numbers and types checked against the published Triton / KServe v2 definitions, by reading serialized messages
 * back without our schema ({@link UnknownFieldSet}): a renumbered field would still round-trip through our own classes
 * but would break against a real server.
 */
class WireFormatTest {

    @Test
    void modelInferRequestFieldNumbers() throws IOException {
        ModelInferRequest request = ModelInferRequest.newBuilder()
                .setModelName("rm")
                .setModelVersion("1")
                .setId("req-7")
                .putParameters(
                        "priority", InferParameter.newBuilder().setInt64Param(2).build())
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder()
                        .setName("input_ids")
                        .setDatatype("INT64")
                        .addShape(2)
                        .addShape(3))
                .addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder()
                        .setName("rewards"))
                .addRawInputContents(ByteString.copyFrom(new byte[] {1, 2, 3}))
                .build();
        byte[] bytes = request.toByteArray();
        // field 1 (model_name), wire type 2 (length-delimited): tag (1 << 3) | 2 = 0x0A, length 2, "rm"
        assertArrayEquals(new byte[] {0x0A, 2, 'r', 'm'}, Arrays.copyOf(bytes, 4));

        UnknownFieldSet fields = UnknownFieldSet.parseFrom(bytes);
        assertEquals(
                List.of(1, 2, 3, 4, 5, 6, 7), new ArrayList<>(fields.asMap().keySet()));
        assertEquals("1", string(fields, 2));
        assertEquals("req-7", string(fields, 3));
        assertEquals(ByteString.copyFrom(new byte[] {1, 2, 3}), bytes(fields, 7));

        UnknownFieldSet parameter = message(fields, 4); // map entry: key 1, value 2
        assertEquals("priority", string(parameter, 1));
        assertEquals(List.of(2L), message(parameter, 2).getField(2).getVarintList()); // InferParameter.int64_param

        UnknownFieldSet input = message(fields, 5);
        assertEquals("input_ids", string(input, 1));
        assertEquals("INT64", string(input, 2));
        assertEquals(List.of(2L, 3L), packedVarints(bytes(input, 3))); // shape, packed
        assertEquals("rewards", string(message(fields, 6), 1));
    }

    @Test
    void modelInferResponseFieldNumbers() throws IOException {
        ModelInferResponse response = ModelInferResponse.newBuilder()
                .setModelName("rm")
                .setModelVersion("3")
                .setId("x")
                .addOutputs(ModelInferResponse.InferOutputTensor.newBuilder()
                        .setName("rewards")
                        .setDatatype("FP32")
                        .addShape(1)
                        .setContents(InferTensorContents.newBuilder().addFp32Contents(0.5f)))
                .addRawOutputContents(ByteString.copyFromUtf8("raw"))
                .build();
        UnknownFieldSet fields = UnknownFieldSet.parseFrom(response.toByteArray());
        assertEquals(List.of(1, 2, 3, 5, 6), new ArrayList<>(fields.asMap().keySet()));
        assertEquals("raw", bytes(fields, 6).toStringUtf8());
        UnknownFieldSet contents = message(message(fields, 5), 5);
        assertEquals(List.of(6), new ArrayList<>(contents.asMap().keySet())); // fp32_contents
    }

    @Test
    void tensorContentsAndParameterFieldNumbers() {
        Map<Integer, String> contents = fieldNames(InferTensorContents.getDescriptor());
        assertEquals(
                Map.of(
                        1, "bool_contents",
                        2, "int_contents",
                        3, "int64_contents",
                        4, "uint_contents",
                        5, "uint64_contents",
                        6, "fp32_contents",
                        7, "fp64_contents",
                        8, "bytes_contents"),
                contents);
        assertEquals(
                Map.of(1, "bool_param", 2, "int64_param", 3, "string_param", 4, "double_param", 5, "uint64_param"),
                fieldNames(InferParameter.getDescriptor()));
    }

    @Test
    void modelConfigFieldNumbers() throws IOException {
        ModelConfig config = ModelConfig.newBuilder()
                .setName("rm")
                .setPlatform("onnxruntime_onnx")
                .setMaxBatchSize(8)
                .addInput(ModelInput.newBuilder()
                        .setName("input_ids")
                        .setDataType(DataType.TYPE_INT64)
                        .addDims(-1))
                .addOutput(ModelOutput.newBuilder().setName("rewards").setDataType(DataType.TYPE_FP32))
                .addInstanceGroup(ModelInstanceGroup.newBuilder()
                        .setKind(ModelInstanceGroup.Kind.KIND_GPU)
                        .setCount(2))
                .setDefaultModelFilename("model.onnx")
                .setDynamicBatching(ModelDynamicBatching.newBuilder().setMaxQueueDelayMicroseconds(1000))
                .putParameters(
                        "k", ModelParameter.newBuilder().setStringValue("v").build())
                .setBackend("onnxruntime")
                .build();
        UnknownFieldSet fields = UnknownFieldSet.parseFrom(config.toByteArray());
        assertEquals(
                List.of(1, 2, 4, 5, 6, 7, 8, 11, 14, 17),
                new ArrayList<>(fields.asMap().keySet()));
        assertEquals(List.of(8L), fields.getField(4).getVarintList());
        assertEquals("onnxruntime", string(fields, 17));

        UnknownFieldSet input = message(fields, 5);
        assertEquals(List.of(9L), input.getField(2).getVarintList()); // TYPE_INT64 = 9
        assertEquals(List.of(-1L), packedVarints(bytes(input, 4))); // dims
        assertEquals(List.of(11L), message(fields, 6).getField(2).getVarintList()); // TYPE_FP32 = 11

        UnknownFieldSet group = message(fields, 7);
        assertEquals(List.of(1L), group.getField(4).getVarintList()); // kind KIND_GPU = 1
        assertEquals(List.of(2L), group.getField(2).getVarintList()); // count
        assertEquals(List.of(1000L), message(fields, 11).getField(2).getVarintList());
    }

    @Test
    void dataTypeAndKindNumbers() {
        String[] types = {
            "TYPE_INVALID",
            "TYPE_BOOL",
            "TYPE_UINT8",
            "TYPE_UINT16",
            "TYPE_UINT32",
            "TYPE_UINT64",
            "TYPE_INT8",
            "TYPE_INT16",
            "TYPE_INT32",
            "TYPE_INT64",
            "TYPE_FP16",
            "TYPE_FP32",
            "TYPE_FP64",
            "TYPE_STRING",
            "TYPE_BF16"
        };
        for (int number = 0; number < types.length; number++) {
            assertEquals(types[number], DataType.forNumber(number).name());
        }
        assertEquals(0, ModelInstanceGroup.Kind.KIND_AUTO.getNumber());
        assertEquals(2, ModelInstanceGroup.Kind.KIND_CPU.getNumber());
        assertEquals(3, ModelInstanceGroup.Kind.KIND_MODEL.getNumber());
    }

    @Test
    void fieldsOfTritonsFullSchemaSurviveARoundTrip() throws InvalidProtocolBufferException {
        // A ModelConfig from a newer server may carry a field added upstream after the commit this schema was
        // compared with (proto/README.md); 1000 stands for such a field.
        UnknownFieldSet newerField = UnknownFieldSet.newBuilder()
                .addField(
                        1000,
                        UnknownFieldSet.Field.newBuilder()
                                .addLengthDelimited(ByteString.copyFrom(new byte[] {0x08, 0x01}))
                                .build())
                .build();
        byte[] fromServer = ModelConfig.newBuilder()
                .setName("seq")
                .mergeUnknownFields(newerField)
                .build()
                .toByteArray();
        ModelConfig parsed = ModelConfig.parseFrom(fromServer);
        assertTrue(parsed.getUnknownFields().hasField(1000));
        assertArrayEquals(fromServer, parsed.toByteArray());
    }

    @Test
    void serviceAndMethodNamesMatchTheProtocol() {
        assertEquals("inference.GRPCInferenceService", GRPCInferenceServiceGrpc.SERVICE_NAME);
        assertEquals(
                "inference.GRPCInferenceService/ModelInfer",
                GRPCInferenceServiceGrpc.getModelInferMethod().getFullMethodName());
        assertEquals(
                "inference.GRPCInferenceService/ModelConfig",
                GRPCInferenceServiceGrpc.getModelConfigMethod().getFullMethodName());
        assertEquals(
                MethodType.BIDI_STREAMING,
                GRPCInferenceServiceGrpc.getModelStreamInferMethod().getType());
    }

    private static Map<Integer, String> fieldNames(Descriptor descriptor) {
        Map<Integer, String> out = new TreeMap<>();
        descriptor.getFields().forEach(f -> out.put(f.getNumber(), f.getName()));
        return out;
    }

    private static ByteString bytes(UnknownFieldSet fields, int number) {
        List<ByteString> values = fields.getField(number).getLengthDelimitedList();
        assertEquals(1, values.size(), "field " + number);
        return values.get(0);
    }

    private static String string(UnknownFieldSet fields, int number) {
        return bytes(fields, number).toStringUtf8();
    }

    private static UnknownFieldSet message(UnknownFieldSet fields, int number) throws InvalidProtocolBufferException {
        return UnknownFieldSet.parseFrom(bytes(fields, number));
    }

    private static List<Long> packedVarints(ByteString packed) throws IOException {
        CodedInputStream in = packed.newCodedInput();
        List<Long> out = new ArrayList<>();
        while (!in.isAtEnd()) {
            out.add(in.readInt64());
        }
        return out;
    }
}
