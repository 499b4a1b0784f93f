package dev.rlhf.gateway.grpc;

import dev.rlhf.gateway.mapping.ApiMapping;
import dev.rlhf.gateway.service.LogProbScorer;
import dev.rlhf.proto.v1.LogProbServiceGrpc;
import dev.rlhf.proto.v1.LogProbsRequest;
import dev.rlhf.proto.v1.LogProbsResponse;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;

/** {@code rlhf.v1.LogProbService}: per-token log-probs of a sequence under the reference (or another LM) model. */
@GrpcService
public class LogProbGrpcService extends LogProbServiceGrpc.LogProbServiceImplBase {

    private final LogProbScorer scorer;

    public LogProbGrpcService(LogProbScorer scorer) {
        this.scorer = scorer;
    }

    @Override
    @Blocking
    public void logProbs(LogProbsRequest request, StreamObserver<LogProbsResponse> out) {
        GrpcErrors.complete(
                out,
                () -> scorer.logProbs(request.getModel(), ApiMapping.longs(request.getIdsList()), request.getText())
                        .thenApply(ApiMapping::toResponse));
    }
}
