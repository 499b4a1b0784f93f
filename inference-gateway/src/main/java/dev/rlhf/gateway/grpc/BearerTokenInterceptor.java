package dev.rlhf.gateway.grpc;

import dev.rlhf.core.security.BearerToken;
import dev.rlhf.gateway.config.GatewayConfig;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Requires gRPC metadata {@code authorization: Bearer <gateway.token>} on every call once a token is configured
 * (UNAUTHENTICATED otherwise), the job API's {@code rlhf.api.token} semantics; the health probes (ServerLive,
 * ServerReady, ModelReady) stay open, as GETs do there. Without a token every call passes, and startup warns.
 */
@ApplicationScoped
@GlobalInterceptor
public class BearerTokenInterceptor implements ServerInterceptor {

    private static final Logger LOG = Logger.getLogger(BearerTokenInterceptor.class);
    static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final Set<String> OPEN = Set.of(
            "inference.GRPCInferenceService/ServerLive",
            "inference.GRPCInferenceService/ServerReady",
            "inference.GRPCInferenceService/ModelReady");

    private final Optional<BearerToken> expected;

    public BearerTokenInterceptor(GatewayConfig config) {
        this.expected = BearerToken.of(config.token());
        if (expected.isEmpty()) {
            LOG.warn("gateway.token is not set: anyone who reaches the port can score, infer and generate");
        }
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        if (expected.isEmpty() || OPEN.contains(call.getMethodDescriptor().getFullMethodName())) {
            return next.startCall(call, headers);
        }
        Optional<BearerToken.Refusal> refusal = expected.get().check(headers.get(AUTHORIZATION));
        if (refusal.isEmpty()) {
            return next.startCall(call, headers);
        }
        String message = refusal.get() == BearerToken.Refusal.MISSING
                ? "needs the metadata 'authorization: Bearer <token>'"
                : "wrong bearer token";
        call.close(Status.UNAUTHENTICATED.withDescription(message), new Metadata());
        return new ServerCall.Listener<>() {};
    }
}
