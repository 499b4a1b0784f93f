package dev.rlhf.gateway.service;

import dev.rlhf.core.tokenizer.Tokenizer;
import dev.rlhf.proto.inference.ModelConfig;
import dev.rlhf.proto.inference.ModelInferRequest;
import dev.rlhf.proto.inference.ModelInferResponse;
import dev.rlhf.proto.inference.ModelMetadataResponse;
import dev.rlhf.proto.inference.ModelStatistics;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * One model as clients see it through the KServe v2 protocol, whether it runs in this process or on another server.
 * Answers carry the name clients used, whatever the model is called where it runs.
 */
public interface ModelBackend extends AutoCloseable {

    /** The name clients address the model by. */
    String name();

    /** Whether {@code version} (empty: the one the server serves by default) can take requests now. */
    boolean ready(String version);

    ModelMetadataResponse metadata(String version);

    ModelConfig config(String version);

    /** Runs one request; the stage fails with a {@link GatewayException} or the forwarding client's exception. */
    CompletionStage<ModelInferResponse> infer(ModelInferRequest request);

    /** The tokenizer the rlhf.v1 services encode text with, when the model has one. */
    Optional<Tokenizer> tokenizer();

    /** Counters of the model's executions; empty for a forwarded model (its server has them). */
    Optional<ModelStatistics> statistics();

    /**
     * Where the model runs, for logs, error messages and {@code /q/health}: its file relative to the model repository
     * ({@code rm/1/model.onnx}, never the server's absolute path), or an endpoint.
     */
    String location();

    @Override
    void close();
}
