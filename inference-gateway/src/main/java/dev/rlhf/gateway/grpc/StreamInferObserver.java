package dev.rlhf.gateway.grpc;

import dev.rlhf.gateway.service.ModelRegistry;
import dev.rlhf.proto.inference.ModelInferRequest;
import dev.rlhf.proto.inference.ModelInferResponse;
import dev.rlhf.proto.inference.ModelStreamInferResponse;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * ModelStreamInfer: each request of the stream runs as a ModelInfer would (batched with everything else), and its
 * response, or its error as {@code error_message}, is sent as soon as it is ready, so responses may come out of order
 * (match them by {@code id}, as with Triton). The stream ends once the client has closed its side and every response
 * is out.
 */
final class StreamInferObserver implements StreamObserver<ModelInferRequest> {

    private final ModelRegistry registry;
    private final StreamObserver<ModelStreamInferResponse> out;
    private final AtomicInteger open = new AtomicInteger(1); // requests in flight + 1 while the client still sends

    StreamInferObserver(ModelRegistry registry, StreamObserver<ModelStreamInferResponse> out) {
        this.registry = registry;
        this.out = out;
    }

    @Override
    public void onNext(ModelInferRequest request) {
        open.incrementAndGet();
        CompletionStage<ModelInferResponse> stage;
        try {
            stage = registry.get(request.getModelName()).infer(request);
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        stage.whenComplete((response, error) -> {
            ModelStreamInferResponse.Builder message = ModelStreamInferResponse.newBuilder();
            if (error != null) {
                String description = GrpcErrors.toStatus(error).getStatus().getDescription();
                message.setErrorMessage(description == null ? "" : description)
                        .setInferResponse(ModelInferResponse.newBuilder()
                                .setModelName(request.getModelName())
                                .setId(request.getId()));
            } else {
                message.setInferResponse(response);
            }
            synchronized (out) {
                out.onNext(message.build());
            }
            finishOne();
        });
    }

    @Override
    public void onError(Throwable error) {
        // the client cancelled; responses still in flight are dropped by gRPC
    }

    @Override
    public void onCompleted() {
        finishOne();
    }

    private void finishOne() {
        if (open.decrementAndGet() == 0) {
            synchronized (out) {
                out.onCompleted();
            }
        }
    }
}
