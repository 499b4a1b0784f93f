package dev.rlhf.gateway.grpc;

import dev.rlhf.gateway.service.GatewayException;
import dev.rlhf.gateway.service.ModelBackend;
import dev.rlhf.gateway.service.ModelRegistry;
import dev.rlhf.proto.inference.GRPCInferenceServiceGrpc;
import dev.rlhf.proto.inference.ModelConfigRequest;
import dev.rlhf.proto.inference.ModelConfigResponse;
import dev.rlhf.proto.inference.ModelInferRequest;
import dev.rlhf.proto.inference.ModelInferResponse;
import dev.rlhf.proto.inference.ModelMetadataRequest;
import dev.rlhf.proto.inference.ModelMetadataResponse;
import dev.rlhf.proto.inference.ModelReadyRequest;
import dev.rlhf.proto.inference.ModelReadyResponse;
import dev.rlhf.proto.inference.ModelStatisticsRequest;
import dev.rlhf.proto.inference.ModelStatisticsResponse;
import dev.rlhf.proto.inference.ModelStreamInferResponse;
import dev.rlhf.proto.inference.RepositoryIndexRequest;
import dev.rlhf.proto.inference.RepositoryIndexResponse;
import dev.rlhf.proto.inference.ServerLiveRequest;
import dev.rlhf.proto.inference.ServerLiveResponse;
import dev.rlhf.proto.inference.ServerMetadataRequest;
import dev.rlhf.proto.inference.ServerMetadataResponse;
import dev.rlhf.proto.inference.ServerReadyRequest;
import dev.rlhf.proto.inference.ServerReadyResponse;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code inference.GRPCInferenceService}, the KServe v2 protocol with Triton's extensions, over the models of the
 * {@link ModelRegistry}. ModelInfer never blocks the event loop: the call completes when the model's batcher (or the
 * forwarding client) does. Calls that may wait on a forwarded server run on worker threads.
 */
@GrpcService
public class InferenceGrpcService extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {

    static final String SERVER_NAME = "rlhf-inference-gateway";
    static final List<String> EXTENSIONS = List.of("model_configuration", "statistics", "model_repository");

    private final ModelRegistry registry;
    private final String version;

    public InferenceGrpcService(
            ModelRegistry registry, @ConfigProperty(name = "quarkus.application.version") String version) {
        this.registry = registry;
        this.version = version;
    }

    @Override
    public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> out) {
        GrpcErrors.reply(
                out, () -> ServerLiveResponse.newBuilder().setLive(true).build());
    }

    /** Ready once started: the registry loads every repository model at startup or the start fails. */
    @Override
    public void serverReady(ServerReadyRequest request, StreamObserver<ServerReadyResponse> out) {
        GrpcErrors.reply(
                out, () -> ServerReadyResponse.newBuilder().setReady(true).build());
    }

    /** False for an unknown model or version, as Triton answers. */
    @Override
    @Blocking
    public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> out) {
        GrpcErrors.reply(
                out,
                () -> ModelReadyResponse.newBuilder()
                        .setReady(registry.find(request.getName())
                                .map(m -> m.ready(request.getVersion()))
                                .orElse(false))
                        .build());
    }

    @Override
    public void serverMetadata(ServerMetadataRequest request, StreamObserver<ServerMetadataResponse> out) {
        GrpcErrors.reply(
                out,
                () -> ServerMetadataResponse.newBuilder()
                        .setName(SERVER_NAME)
                        .setVersion(version)
                        .addAllExtensions(EXTENSIONS)
                        .build());
    }

    @Override
    @Blocking
    public void modelMetadata(ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> out) {
        GrpcErrors.reply(out, () -> registry.get(request.getName()).metadata(request.getVersion()));
    }

    @Override
    @Blocking
    public void modelConfig(ModelConfigRequest request, StreamObserver<ModelConfigResponse> out) {
        GrpcErrors.reply(
                out,
                () -> ModelConfigResponse.newBuilder()
                        .setConfig(registry.get(request.getName()).config(request.getVersion()))
                        .build());
    }

    @Override
    public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> out) {
        GrpcErrors.complete(out, () -> registry.get(request.getModelName()).infer(request));
    }

    @Override
    public StreamObserver<ModelInferRequest> modelStreamInfer(StreamObserver<ModelStreamInferResponse> out) {
        return new StreamInferObserver(registry, out);
    }

    /** Counters of in-process models; a forwarded model's are on its own server. */
    @Override
    public void modelStatistics(ModelStatisticsRequest request, StreamObserver<ModelStatisticsResponse> out) {
        GrpcErrors.reply(out, () -> {
            List<ModelBackend> models = request.getName().isEmpty()
                    ? List.copyOf(registry.all())
                    : List.of(registry.get(request.getName()));
            ModelStatisticsResponse.Builder response = ModelStatisticsResponse.newBuilder();
            for (ModelBackend model : models) {
                if (!request.getName().isEmpty() && model.statistics().isEmpty()) {
                    throw new GatewayException.NotServable("model '" + model.name() + "' is forwarded to "
                            + model.location() + "; ask that server for its statistics");
                }
                model.statistics().ifPresent(response::addModelStats);
            }
            return response.build();
        });
    }

    @Override
    @Blocking
    public void repositoryIndex(RepositoryIndexRequest request, StreamObserver<RepositoryIndexResponse> out) {
        GrpcErrors.reply(out, () -> {
            RepositoryIndexResponse.Builder response = RepositoryIndexResponse.newBuilder();
            for (ModelBackend model : registry.all()) {
                RepositoryIndexResponse.ModelIndex.Builder index =
                        RepositoryIndexResponse.ModelIndex.newBuilder().setName(model.name());
                try {
                    boolean ready = model.ready("");
                    index.setState(ready ? "READY" : "UNAVAILABLE");
                } catch (RuntimeException e) {
                    index.setState("UNAVAILABLE").setReason(e.getMessage());
                }
                if (!request.getReady() || index.getState().equals("READY")) {
                    response.addModels(index);
                }
            }
            return response.build();
        });
    }
}
