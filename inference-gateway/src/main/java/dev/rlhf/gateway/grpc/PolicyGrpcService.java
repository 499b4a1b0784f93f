package dev.rlhf.gateway.grpc;

import dev.rlhf.gateway.mapping.ApiMapping;
import dev.rlhf.gateway.service.PolicyGenerator;
import dev.rlhf.proto.v1.GenerateRequest;
import dev.rlhf.proto.v1.GenerateResponse;
import dev.rlhf.proto.v1.PolicyServiceGrpc;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;

/** {@code rlhf.v1.PolicyService}: one streamed message per generated token, sent as soon as it is sampled. */
@GrpcService
public class PolicyGrpcService extends PolicyServiceGrpc.PolicyServiceImplBase {

    private final PolicyGenerator generator;

    public PolicyGrpcService(PolicyGenerator generator) {
        this.generator = generator;
    }

    @Override
    @Blocking
    public void generate(GenerateRequest request, StreamObserver<GenerateResponse> out) {
        try {
            generator.generate(ApiMapping.toQuery(request), token -> out.onNext(ApiMapping.toResponse(token)));
        } catch (RuntimeException e) {
            out.onError(GrpcErrors.toStatus(e));
            return;
        }
        out.onCompleted();
    }
}
