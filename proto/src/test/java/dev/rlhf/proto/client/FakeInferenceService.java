package dev.rlhf.proto.client;

import com.google.protobuf.ByteString;
import dev.rlhf.proto.inference.GRPCInferenceServiceGrpc;
import dev.rlhf.proto.inference.InferTensorContents;
import dev.rlhf.proto.inference.ModelInferRequest;
import dev.rlhf.proto.inference.ModelInferRequest.InferInputTensor;
import dev.rlhf.proto.inference.ModelInferResponse;
import dev.rlhf.proto.inference.ModelInferResponse.InferOutputTensor;
import dev.rlhf.proto.inference.ModelMetadataRequest;
import dev.rlhf.proto.inference.ModelMetadataResponse;
import dev.rlhf.proto.inference.ModelMetadataResponse.TensorMetadata;
import dev.rlhf.proto.inference.ModelReadyRequest;
import dev.rlhf.proto.inference.ModelReadyResponse;
import dev.rlhf.proto.inference.ServerLiveRequest;
import dev.rlhf.proto.inference.ServerLiveResponse;
import dev.rlhf.proto.inference.ServerMetadataRequest;
import dev.rlhf.proto.inference.ServerMetadataResponse;
import dev.rlhf.proto.inference.ServerReadyRequest;
import dev.rlhf.proto.inference.ServerReadyResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A v2 inference server with one model, {@code sum}: input {@code input_ids} INT64 {@code [B, T]}, output {@code sums}
 * FP32 {@code [B, 1]} holding each row's sum. It decodes raw contents with its own little-endian reads (not {@link
 * RawTensors}), so client and server do not share the code under test.
 */
final class FakeInferenceService extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {
    static final String MODEL = "sum";

    final AtomicInteger inferCalls = new AtomicInteger();
    /** ModelInfer answers UNAVAILABLE to this many calls before it works. */
    volatile int failFirst;
    /** ModelInfer never answers. */
    volatile boolean hang;
    /** Answer with typed fp32_contents instead of raw_output_contents. */
    volatile boolean typedOutput;

    volatile long[] lastInput;
    volatile long[] lastShape;

    @Override
    public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> out) {
        reply(out, ServerLiveResponse.newBuilder().setLive(true).build());
    }

    @Override
    public void serverReady(ServerReadyRequest request, StreamObserver<ServerReadyResponse> out) {
        reply(out, ServerReadyResponse.newBuilder().setReady(true).build());
    }

    @Override
    public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> out) {
        reply(
                out,
                ModelReadyResponse.newBuilder()
                        .setReady(request.getName().equals(MODEL))
                        .build());
    }

    @Override
    public void serverMetadata(ServerMetadataRequest request, StreamObserver<ServerMetadataResponse> out) {
        reply(
                out,
                ServerMetadataResponse.newBuilder()
                        .setName("fake")
                        .setVersion("0.1")
                        .build());
    }

    @Override
    public void modelMetadata(ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> out) {
        if (!request.getName().equals(MODEL)) {
            out.onError(unknownModel(request.getName()));
            return;
        }
        reply(
                out,
                ModelMetadataResponse.newBuilder()
                        .setName(MODEL)
                        .addVersions("1")
                        .setPlatform("fake")
                        .addInputs(tensor("input_ids", "INT64", -1, -1))
                        .addOutputs(tensor("sums", "FP32", -1, 1))
                        .build());
    }

    @Override
    public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> out) {
        if (inferCalls.incrementAndGet() <= failFirst) {
            out.onError(Status.UNAVAILABLE.withDescription("warming up").asRuntimeException());
            return;
        }
        if (hang) {
            return;
        }
        if (!request.getModelName().equals(MODEL)) {
            out.onError(unknownModel(request.getModelName()));
            return;
        }
        InferInputTensor input = request.getInputs(0);
        long[] values = littleEndianLongs(request.getRawInputContents(0));
        lastInput = values;
        lastShape = input.getShapeList().stream().mapToLong(Long::longValue).toArray();
        int rows = (int) lastShape[0];
        int columns = (int) lastShape[1];
        float[] sums = new float[rows];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                sums[r] += values[r * columns + c];
            }
        }
        reply(out, response(sums));
    }

    private ModelInferResponse response(float[] sums) {
        InferOutputTensor.Builder output = InferOutputTensor.newBuilder()
                .setName("sums")
                .setDatatype("FP32")
                .addShape(sums.length)
                .addShape(1);
        ModelInferResponse.Builder response =
                ModelInferResponse.newBuilder().setModelName(MODEL).setModelVersion("1");
        if (typedOutput) {
            InferTensorContents.Builder contents = InferTensorContents.newBuilder();
            for (float sum : sums) {
                contents.addFp32Contents(sum);
            }
            return response.addOutputs(output.setContents(contents)).build();
        }
        ByteBuffer raw = ByteBuffer.allocate(sums.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float sum : sums) {
            raw.putFloat(sum);
        }
        return response.addOutputs(output)
                .addRawOutputContents(ByteString.copyFrom(raw.array()))
                .build();
    }

    private static long[] littleEndianLongs(ByteString raw) {
        byte[] bytes = raw.toByteArray();
        long[] out = new long[bytes.length / 8];
        for (int i = 0; i < out.length; i++) {
            long value = 0;
            for (int b = 7; b >= 0; b--) {
                value = (value << 8) | (bytes[i * 8 + b] & 0xFF);
            }
            out[i] = value;
        }
        return out;
    }

    private static TensorMetadata tensor(String name, String datatype, long... shape) {
        TensorMetadata.Builder tensor =
                TensorMetadata.newBuilder().setName(name).setDatatype(datatype);
        for (long dim : shape) {
            tensor.addShape(dim);
        }
        return tensor.build();
    }

    private static RuntimeException unknownModel(String name) {
        return Status.NOT_FOUND.withDescription("unknown model '" + name + "'").asRuntimeException();
    }

    private static <T> void reply(StreamObserver<T> out, T value) {
        out.onNext(value);
        out.onCompleted();
    }
}
