package dev.rlhf.gateway.grpc;

import dev.rlhf.gateway.mapping.ApiMapping;
import dev.rlhf.gateway.service.RewardScorer;
import dev.rlhf.proto.v1.RewardServiceGrpc;
import dev.rlhf.proto.v1.ScoreBatchRequest;
import dev.rlhf.proto.v1.ScoreBatchResponse;
import dev.rlhf.proto.v1.ScoreRequest;
import dev.rlhf.proto.v1.ScoreResponse;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;

/** {@code rlhf.v1.RewardService}: text (or ids) in, the reward model's scalar out. Tokenizing runs on a worker. */
@GrpcService
public class RewardGrpcService extends RewardServiceGrpc.RewardServiceImplBase {

    private final RewardScorer scorer;

    public RewardGrpcService(RewardScorer scorer) {
        this.scorer = scorer;
    }

    @Override
    @Blocking
    public void score(ScoreRequest request, StreamObserver<ScoreResponse> out) {
        GrpcErrors.complete(out, () -> scorer.score(ApiMapping.toPair(request)).thenApply(ApiMapping::toResponse));
    }

    @Override
    @Blocking
    public void scoreBatch(ScoreBatchRequest request, StreamObserver<ScoreBatchResponse> out) {
        GrpcErrors.complete(
                out,
                () -> scorer.score(request.getRequestsList().stream()
                                .map(ApiMapping::toPair)
                                .toList())
                        .thenApply(ApiMapping::toBatchResponse));
    }
}
