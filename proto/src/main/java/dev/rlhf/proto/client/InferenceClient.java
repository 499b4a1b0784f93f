package dev.rlhf.proto.client;

import dev.rlhf.proto.inference.GRPCInferenceServiceGrpc;
import dev.rlhf.proto.inference.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import dev.rlhf.proto.inference.ModelConfig;
import dev.rlhf.proto.inference.ModelConfigRequest;
import dev.rlhf.proto.inference.ModelInferRequest;
import dev.rlhf.proto.inference.ModelInferResponse;
import dev.rlhf.proto.inference.ModelMetadataRequest;
import dev.rlhf.proto.inference.ModelMetadataResponse;
import dev.rlhf.proto.inference.ModelReadyRequest;
import dev.rlhf.proto.inference.ServerLiveRequest;
import dev.rlhf.proto.inference.ServerMetadataRequest;
import dev.rlhf.proto.inference.ServerMetadataResponse;
import dev.rlhf.proto.inference.ServerReadyRequest;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A blocking client for the KServe v2 inference protocol (Triton, KServe runtimes, the suite's gateway): the one the PPO
 * trainer uses to query the reward and reference models.
 *
 * <p>Every call gets its own deadline and is retried with exponential backoff while the server answers UNAVAILABLE
 * (not up yet, restarting, overloaded) or DEADLINE_EXCEEDED; other failures are not retried. A call that still fails
 * becomes an {@link InferenceException} naming the endpoint, the model and the gRPC status. Thread-safe.
 *
 * <p>The {@code host:port} constructor opens a plaintext channel with whichever gRPC transport is on the class path
 * (Quarkus brings grpc-netty; elsewhere add grpc-netty-shaded) and closes it in {@link #close()}. A channel passed in
 * stays the caller's to close.
 */
public final class InferenceClient implements AutoCloseable {
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final String endpoint;
    private final ClientOptions options;
    private final GRPCInferenceServiceBlockingStub stub;
    private final ManagedChannel ownedChannel;

    /** Connects to {@code host:port} in plaintext with {@link ClientOptions#defaults()}. */
    public InferenceClient(String hostPort) {
        this(hostPort, ClientOptions.defaults());
    }

    public InferenceClient(String hostPort, ClientOptions options) {
        this(
                Grpc.newChannelBuilder(hostPort, InsecureChannelCredentials.create())
                        .maxInboundMessageSize(options.maxMessageBytes())
                        .build(),
                hostPort,
                options,
                true);
    }

    /** Uses an existing channel; {@code endpoint} names the server in error messages. */
    public InferenceClient(Channel channel, String endpoint, ClientOptions options) {
        this(channel, endpoint, options, false);
    }

    private InferenceClient(Channel channel, String endpoint, ClientOptions options, boolean owned) {
        this.endpoint = endpoint;
        this.options = options;
        this.stub = GRPCInferenceServiceGrpc.newBlockingStub(withToken(channel, options))
                .withMaxInboundMessageSize(options.maxMessageBytes());
        this.ownedChannel = owned ? (ManagedChannel) channel : null;
    }

    /** The channel, sending {@code authorization: Bearer <token>} with every call when the options carry a token. */
    private static Channel withToken(Channel channel, ClientOptions options) {
        if (options.token().isEmpty()) {
            return channel;
        }
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer " + options.token().get());
        return ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    public String endpoint() {
        return endpoint;
    }

    public boolean serverLive() {
        return call("ServerLive", "", s -> s.serverLive(ServerLiveRequest.getDefaultInstance()))
                .getLive();
    }

    public boolean serverReady() {
        return call("ServerReady", "", s -> s.serverReady(ServerReadyRequest.getDefaultInstance()))
                .getReady();
    }

    /** Whether the version the server's policy selects (normally the latest) is loaded and ready. */
    public boolean modelReady(String model) {
        ModelReadyRequest request =
                ModelReadyRequest.newBuilder().setName(model).build();
        return call("ModelReady", model, s -> s.modelReady(request)).getReady();
    }

    public ServerMetadataResponse serverMetadata() {
        return call("ServerMetadata", "", s -> s.serverMetadata(ServerMetadataRequest.getDefaultInstance()));
    }

    /** Input and output names, datatypes and shapes of {@code model}. */
    public ModelMetadataResponse metadata(String model) {
        ModelMetadataRequest request =
                ModelMetadataRequest.newBuilder().setName(model).build();
        return call("ModelMetadata", model, s -> s.modelMetadata(request));
    }

    /** The model's configuration (a Triton extension; KServe runtimes answer UNIMPLEMENTED). */
    public ModelConfig modelConfig(String model) {
        ModelConfigRequest request =
                ModelConfigRequest.newBuilder().setName(model).build();
        return call("ModelConfig", model, s -> s.modelConfig(request)).getConfig();
    }

    /** Sends a prepared request as is, with deadline and retries. */
    public ModelInferResponse infer(ModelInferRequest request) {
        return call("ModelInfer", request.getModelName(), s -> s.modelInfer(request));
    }

    /**
     * Runs {@code model} on INT64 matrices and returns one FP32 output as rows.
     *
     * <p>Each input is sent with shape {@code [rows, columns]} as little-endian {@code raw_input_contents} (rows must be
     * of equal length: pad them and send a mask). The output is decoded from {@code raw_output_contents} or from typed
     * {@code fp32_contents}, whichever the server used, and split by its first dimension (see {@link
     * FloatTensor#toRows()}).
     */
    public float[][] inferInt64(String model, Map<String, long[][]> int64Inputs, String output) {
        return inferInt64Tensor(model, int64Inputs, output).toRows();
    }

    /** Like {@link #inferInt64} but keeps the full output shape. */
    public FloatTensor inferInt64Tensor(String model, Map<String, long[][]> int64Inputs, String output) {
        ModelInferResponse response = infer(InferRequests.int64(model, int64Inputs, output));
        try {
            return InferResponses.fp32(response, output);
        } catch (IllegalArgumentException e) {
            throw new InferenceException(
                    describe("ModelInfer", model) + " returned an unusable response: " + e.getMessage(),
                    endpoint,
                    model,
                    Status.Code.INTERNAL,
                    e);
        }
    }

    /** Runs {@code rpc} with a fresh deadline per attempt, pausing between attempts that failed transiently. */
    private <T> T call(String rpc, String model, Function<GRPCInferenceServiceBlockingStub, T> rpcCall) {
        for (int attempt = 1; ; attempt++) {
            try {
                return rpcCall.apply(stub.withDeadlineAfter(options.deadline().toNanos(), TimeUnit.NANOSECONDS));
            } catch (StatusRuntimeException e) {
                Status.Code code = e.getStatus().getCode();
                if (!retryable(code) || attempt >= options.maxAttempts()) {
                    throw failure(rpc, model, attempt, e);
                }
                pause(options.backoff(attempt), rpc, model, e);
            }
        }
    }

    private static boolean retryable(Status.Code code) {
        return code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED;
    }

    private void pause(Duration delay, String rpc, String model, StatusRuntimeException last) {
        try {
            Thread.sleep(delay.toMillis(), delay.toNanosPart() % 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InferenceException interrupted = new InferenceException(
                    describe(rpc, model) + " was interrupted while waiting to retry after: " + statusText(last),
                    endpoint,
                    model,
                    Status.Code.CANCELLED,
                    last);
            interrupted.addSuppressed(e);
            throw interrupted;
        }
    }

    private InferenceException failure(String rpc, String model, int attempts, StatusRuntimeException e) {
        String message = describe(rpc, model) + " failed after " + attempts
                + (attempts == 1 ? " attempt: " : " attempts: ") + statusText(e);
        return new InferenceException(message, endpoint, model, e.getStatus().getCode(), e);
    }

    private String describe(String rpc, String model) {
        String subject = model.isEmpty() ? rpc : rpc + " of model '" + model + "'";
        return subject + " at " + endpoint;
    }

    private static String statusText(StatusRuntimeException e) {
        Status status = e.getStatus();
        return status.getDescription() == null
                ? status.getCode().toString()
                : status.getCode() + ": " + status.getDescription();
    }

    /** Shuts down the channel this client opened (waiting up to 5 s for calls in flight); a borrowed one stays open. */
    @Override
    public void close() {
        if (ownedChannel == null) {
            return;
        }
        ownedChannel.shutdown();
        try {
            if (!ownedChannel.awaitTermination(5, TimeUnit.SECONDS)) {
                ownedChannel.shutdownNow();
            }
        } catch (InterruptedException e) {
            ownedChannel.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
