package dev.rlhf.gateway.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.rlhf.gateway.GatewayTestClient;
import dev.rlhf.gateway.OrtReference;
import dev.rlhf.gateway.TestRepository;
import dev.rlhf.gateway.TestRequests;
import dev.rlhf.proto.client.InferResponses;
import dev.rlhf.proto.inference.ModelInferRequest;
import dev.rlhf.proto.inference.ModelInferRequest.InferInputTensor;
import dev.rlhf.proto.inference.ModelInferRequest.InferRequestedOutputTensor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each kind of bad ModelInfer request gets its status and a message naming the tensor; good requests still work. */
@QuarkusTest
@WithTestResource(TestRepository.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InferValidationTest {

    private static final long[][] IDS = {{1, 2, 3, 4, 5, 6}, {7, 8, 9, 10, 11, 12}};

    private GatewayTestClient gateway;
    private float[] expected;

    @BeforeAll
    void connect() throws Exception {
        gateway = new GatewayTestClient();
        try (OrtReference rm = new OrtReference("rm")) {
            expected = (float[]) rm.run(IDS, TestRequests.ones(IDS));
        }
    }

    @AfterAll
    void close() throws Exception {
        gateway.close();
    }

    private static ModelInferRequest good() {
        return TestRequests.raw("rm", IDS, "rewards");
    }

    private static InferInputTensor.Builder input(ModelInferRequest.Builder request, int index) {
        return request.getInputsBuilder(index);
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                bad("unknown model", r -> r.setModelName("nope"), Status.Code.NOT_FOUND, "unknown model 'nope'"),
                bad("unknown version", r -> r.setModelVersion("3"), Status.Code.NOT_FOUND, "has no version '3'"),
                bad(
                        "FP32 ids",
                        r -> {
                            input(r, 0).setDatatype("FP32");
                            return r;
                        },
                        Status.Code.INVALID_ARGUMENT,
                        "input 'input_ids': expected INT64 or INT32, got FP32"),
                bad(
                        "raw bytes short",
                        r -> r.setRawInputContents(1, r.getRawInputContents(1).substring(8)),
                        Status.Code.INVALID_ARGUMENT,
                        "input 'attention_mask': shape [2, 6] of INT64 needs 96 bytes of raw_input_contents, got 88"),
                bad(
                        "raw for one input of two",
                        r -> r.clearRawInputContents().addRawInputContents(ByteString.copyFrom(new byte[96])),
                        Status.Code.INVALID_ARGUMENT,
                        "raw_input_contents has 1 entries for 2 inputs"),
                bad(
                        "contents count",
                        r -> {
                            ModelInferRequest typed = TestRequests.typed("rm", IDS, TestRequests.ones(IDS));
                            r.clear().mergeFrom(typed);
                            List<Long> values = input(r, 0).getContents().getInt64ContentsList();
                            input(r, 0)
                                    .getContentsBuilder()
                                    .clearInt64Contents()
                                    .addAllInt64Contents(values.subList(1, 12));
                            return r;
                        },
                        Status.Code.INVALID_ARGUMENT,
                        "input 'input_ids': shape [2, 6] needs 12 elements, got 11 in contents.int64_contents"),
                bad(
                        "batch over max_batch_size",
                        r -> r.clear().mergeFrom(TestRequests.raw("rm", new long[9][4], "rewards")),
                        Status.Code.INVALID_ARGUMENT,
                        "input 'input_ids': batch size 9 exceeds max_batch_size 8 of model 'rm'"),
                bad(
                        "sequence over max_sequence_length",
                        r -> r.clear().mergeFrom(TestRequests.raw("rm", new long[1][129], "rewards")),
                        Status.Code.INVALID_ARGUMENT,
                        "input 'input_ids': sequence length 129 exceeds max_sequence_length 128 of model 'rm'"),
                bad(
                        "rank 1",
                        r -> {
                            input(r, 0).clearShape().addShape(12);
                            return r;
                        },
                        Status.Code.INVALID_ARGUMENT,
                        "input 'input_ids': expected shape [batch, sequence], got [12]"),
                bad(
                        "shapes differ",
                        r -> {
                            input(r, 1).setShape(1, 5);
                            return r;
                        },
                        Status.Code.INVALID_ARGUMENT,
                        "input 'attention_mask': shape [2, 5] differs from input 'input_ids' shape [2, 6]"),
                bad(
                        "missing input",
                        r -> {
                            ByteString ids = r.getRawInputContents(0);
                            return r.removeInputs(1).clearRawInputContents().addRawInputContents(ids);
                        },
                        Status.Code.INVALID_ARGUMENT,
                        "missing input 'attention_mask' for model 'rm'"),
                bad(
                        "unknown input",
                        r -> {
                            input(r, 1).setName("token_type_ids");
                            return r;
                        },
                        Status.Code.INVALID_ARGUMENT,
                        "unknown input 'token_type_ids' for model 'rm' (inputs: input_ids, attention_mask)"),
                bad(
                        "unknown output",
                        r -> r.addOutputs(
                                InferRequestedOutputTensor.newBuilder().setName("logits")),
                        Status.Code.INVALID_ARGUMENT,
                        "unknown output 'logits' requested from model 'rm' (outputs: rewards)"),
                bad(
                        "INT64 value beyond an INT32 model",
                        r -> r.clear()
                                .mergeFrom(TestRequests.raw("rm32", new long[][] {{1, 3_000_000_000L}}, "rewards")),
                        Status.Code.INVALID_ARGUMENT,
                        "input 'input_ids': value 3000000000 at element 1 does not fit the model's INT32"));
    }

    private static Arguments bad(
            String what, UnaryOperator<ModelInferRequest.Builder> edit, Status.Code code, String message) {
        return Arguments.of(what, edit.apply(good().toBuilder()).build(), code, message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badRequestIsRefusedWithItsStatusAndTheServerGoesOn(
            String what, ModelInferRequest request, Status.Code code, String message) {
        StatusRuntimeException e = assertThrows(
                StatusRuntimeException.class, () -> gateway.inference().modelInfer(request));
        assertEquals(code, e.getStatus().getCode(), e.getStatus().toString());
        assertTrue(
                e.getStatus().getDescription().contains(message), e.getStatus().getDescription());
        assertArrayEquals(expected, rewards(good()), 1e-4f);
    }

    private float[] rewards(ModelInferRequest request) {
        return InferResponses.fp32(gateway.inference().modelInfer(request), "rewards")
                .data();
    }

    /** An id beyond the vocabulary fails inside ONNX Runtime; batch-mates of a failed merge are re-run alone. */
    @Test
    void aRequestThatFailsInTheModelFailsAloneNotItsBatch() throws Exception {
        List<CompletableFuture<float[]>> good = new ArrayList<>();
        CompletableFuture<float[]> outOfVocab = CompletableFuture.supplyAsync(() ->
                rewards(TestRequests.raw("rm", new long[][] {{1, 5000}}, "rewards")));
        for (int i = 0; i < 6; i++) {
            good.add(CompletableFuture.supplyAsync(() -> rewards(good())));
        }
        for (CompletableFuture<float[]> g : good) {
            assertArrayEquals(expected, g.get(), 1e-4f);
        }
        Exception e = assertThrows(Exception.class, outOfVocab::get);
        StatusRuntimeException status = (StatusRuntimeException) e.getCause();
        assertEquals(Status.Code.INVALID_ARGUMENT, status.getStatus().getCode());
        assertTrue(status.getStatus().getDescription().contains("model 'rm' rejected the input"), status.toString());
        assertTrue(status.getStatus().getDescription().contains("idx=5000"), status.toString());
    }
}
