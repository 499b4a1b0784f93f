package dev.rlhf.proto.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.proto.inference.ModelMetadataResponse;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link InferenceClient} against an in-process server hosting the {@code sum} model. */
class InferenceClientTest {
    private static final String ENDPOINT = "inprocess:sum-server";
    private static final ClientOptions FAST = ClientOptions.defaults()
            .withDeadline(Duration.ofSeconds(5))
            .withBaseDelay(Duration.ofMillis(5))
            .withMaxDelay(Duration.ofMillis(20));

    private final FakeInferenceService service = new FakeInferenceService();
    private final List<String> authorization = new CopyOnWriteArrayList<>();
    private Server server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws IOException {
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name)
                .addService(ServerInterceptors.intercept(service, new ServerInterceptor() {
                    @Override
                    public <Q, R> ServerCall.Listener<Q> interceptCall(
                            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                        authorization.add(String.valueOf(
                                headers.get(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER))));
                        return next.startCall(call, headers);
                    }
                }))
                .build()
                .start();
        channel = InProcessChannelBuilder.forName(name).build();
    }

    @AfterEach
    void stop() {
        channel.shutdownNow();
        server.shutdownNow();
    }

    private InferenceClient client(ClientOptions options) {
        return new InferenceClient(channel, ENDPOINT, options);
    }

    @Test
    void aTokenTravelsAsABearerHeaderWithEveryCallAndNoneOtherwise() {
        try (InferenceClient client = client(FAST.withToken("s3cret-token"))) {
            client.serverLive();
            client.inferInt64(FakeInferenceService.MODEL, Map.of("input_ids", new long[][] {{1}}), "sums");
        }
        try (InferenceClient client = client(FAST)) {
            client.serverLive();
        }
        assertEquals(List.of("Bearer s3cret-token", "Bearer s3cret-token", "null"), authorization);
        assertThrows(IllegalArgumentException.class, () -> FAST.withToken("two words"));
    }

    @Test
    void int64InputsArriveExactlyAsRawLittleEndian() {
        long big = 3_000_000_000L; // needs more than 31 bits
        long[][] ids = {{1, -2, big}, {Long.MIN_VALUE, Long.MAX_VALUE, -1}};
        try (InferenceClient client = client(FAST)) {
            client.inferInt64(FakeInferenceService.MODEL, Map.of("input_ids", ids), "sums");
        }
        assertArrayEquals(new long[] {1, -2, big, Long.MIN_VALUE, Long.MAX_VALUE, -1}, service.lastInput);
        assertArrayEquals(new long[] {2, 3}, service.lastShape);
    }

    @Test
    void rawFp32OutputComesBackAsRows() {
        long[][] ids = {{1, 2, 3}, {4, 5, -6}};
        try (InferenceClient client = client(FAST)) {
            float[][] sums = client.inferInt64(FakeInferenceService.MODEL, Map.of("input_ids", ids), "sums");
            assertArrayEquals(new float[][] {{6f}, {3f}}, sums);
        }
    }

    @Test
    void typedFp32ContentsAreDecodedWithTheResponseShape() {
        service.typedOutput = true;
        long[][] ids = {{10, 20}, {-1, -2}, {0, 7}};
        try (InferenceClient client = client(FAST)) {
            FloatTensor sums = client.inferInt64Tensor(FakeInferenceService.MODEL, Map.of("input_ids", ids), "sums");
            assertArrayEquals(new long[] {3, 1}, sums.shape());
            assertArrayEquals(new float[] {30f, -3f, 7f}, sums.data());
        }
    }

    @Test
    void readinessAndMetadata() {
        try (InferenceClient client = client(FAST)) {
            assertTrue(client.serverLive());
            assertTrue(client.serverReady());
            assertTrue(client.modelReady("sum"));
            assertFalse(client.modelReady("other"));
            assertEquals("fake", client.serverMetadata().getName());
            ModelMetadataResponse metadata = client.metadata("sum");
            assertEquals("input_ids", metadata.getInputs(0).getName());
            assertEquals("INT64", metadata.getInputs(0).getDatatype());
            assertEquals(List.of(-1L, 1L), metadata.getOutputs(0).getShapeList());
        }
    }

    @Test
    void unavailableIsRetriedUntilTheServerAnswers() {
        service.failFirst = 2;
        try (InferenceClient client = client(FAST.withMaxAttempts(3))) {
            float[][] sums = client.inferInt64("sum", Map.of("input_ids", new long[][] {{2, 2}}), "sums");
            assertArrayEquals(new float[][] {{4f}}, sums);
        }
        assertEquals(3, service.inferCalls.get());
    }

    @Test
    void givesUpAfterMaxAttemptsNamingEndpointModelAndStatus() {
        service.failFirst = 2;
        try (InferenceClient client = client(FAST.withMaxAttempts(2))) {
            InferenceException e = assertThrows(
                    InferenceException.class,
                    () -> client.inferInt64("sum", Map.of("input_ids", new long[][] {{1}}), "sums"));
            assertEquals(Status.Code.UNAVAILABLE, e.code());
            assertEquals(
                    "ModelInfer of model 'sum' at inprocess:sum-server failed after 2 attempts: UNAVAILABLE: warming up",
                    e.getMessage());
            assertEquals(ENDPOINT, e.endpoint());
            assertEquals("sum", e.model());
        }
        assertEquals(2, service.inferCalls.get());
    }

    @Test
    void deadlineExceededIsRetriedThenReported() {
        service.hang = true;
        ClientOptions options = FAST.withDeadline(Duration.ofMillis(100)).withMaxAttempts(2);
        try (InferenceClient client = client(options)) {
            InferenceException e = assertThrows(
                    InferenceException.class,
                    () -> client.inferInt64("sum", Map.of("input_ids", new long[][] {{1}}), "sums"));
            assertEquals(Status.Code.DEADLINE_EXCEEDED, e.code());
            assertTrue(e.getMessage().contains("after 2 attempts: DEADLINE_EXCEEDED"), e.getMessage());
        }
        assertEquals(2, service.inferCalls.get());
    }

    @Test
    void otherFailuresAreNotRetried() {
        try (InferenceClient client = client(FAST)) {
            InferenceException e = assertThrows(
                    InferenceException.class,
                    () -> client.inferInt64("nope", Map.of("input_ids", new long[][] {{1}}), "sums"));
            assertEquals(Status.Code.NOT_FOUND, e.code());
            assertEquals(
                    "ModelInfer of model 'nope' at inprocess:sum-server failed after 1 attempt:"
                            + " NOT_FOUND: unknown model 'nope'",
                    e.getMessage());
        }
        assertEquals(1, service.inferCalls.get());
    }

    @Test
    void aMissingOutputNamesTheOutputsTheServerSent() {
        try (InferenceClient client = client(FAST)) {
            InferenceException e = assertThrows(
                    InferenceException.class,
                    () -> client.inferInt64("sum", Map.of("input_ids", new long[][] {{1}}), "logits"));
            assertEquals(Status.Code.INTERNAL, e.code());
            assertTrue(e.getMessage().contains("no output 'logits' in the response (outputs: [sums])"), e.getMessage());
        }
    }

    @Test
    void raggedRowsAreRejectedBeforeSending() {
        try (InferenceClient client = client(FAST)) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> client.inferInt64("sum", Map.of("input_ids", new long[][] {{1, 2}, {3}}), "sums"));
            assertTrue(e.getMessage().startsWith("input 'input_ids': row 1 has 1 elements"), e.getMessage());
        }
        assertEquals(0, service.inferCalls.get());
    }
}
