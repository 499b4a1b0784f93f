package dev.rlhf.gateway;

import dev.rlhf.proto.inference.GRPCInferenceServiceGrpc;
import dev.rlhf.proto.inference.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import dev.rlhf.proto.v1.LogProbServiceGrpc;
import dev.rlhf.proto.v1.PolicyServiceGrpc;
import dev.rlhf.proto.v1.RewardServiceGrpc;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;

/** A plaintext channel to the gateway under test (on the port Quarkus actually bound) and the repository it serves. */
public final class GatewayTestClient implements AutoCloseable {

    private final ManagedChannel channel;

    public GatewayTestClient() {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        channel = Grpc.newChannelBuilder("localhost:" + port, InsecureChannelCredentials.create())
                .build();
    }

    public static Path repo() {
        return Path.of(ConfigProvider.getConfig().getValue("gateway.repo", String.class));
    }

    public static Path policy() {
        return Path.of(ConfigProvider.getConfig().getValue("gateway.policy.path", String.class));
    }

    public ManagedChannel channel() {
        return channel;
    }

    public GRPCInferenceServiceBlockingStub inference() {
        return GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    public RewardServiceGrpc.RewardServiceBlockingStub reward() {
        return RewardServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    public LogProbServiceGrpc.LogProbServiceBlockingStub logProbs() {
        return LogProbServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    public PolicyServiceGrpc.PolicyServiceBlockingStub policyService() {
        return PolicyServiceGrpc.newBlockingStub(channel).withDeadlineAfter(120, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
