package dev.rlhf.gateway.client;

import dev.rlhf.core.tokenizer.Tokenizer;
import dev.rlhf.gateway.service.ModelBackend;
import dev.rlhf.proto.client.ClientOptions;
import dev.rlhf.proto.client.InferenceClient;
import dev.rlhf.proto.inference.ModelConfig;
import dev.rlhf.proto.inference.ModelInferRequest;
import dev.rlhf.proto.inference.ModelInferResponse;
import dev.rlhf.proto.inference.ModelMetadataResponse;
import dev.rlhf.proto.inference.ModelStatistics;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * A model served by another KServe v2 server (Triton, another gateway), reached through {@link InferenceClient}
 * (deadline per attempt, retries on UNAVAILABLE / DEADLINE_EXCEEDED). Requests go out under the remote name and answers
 * come back under the local one, so callers cannot tell it from an in-process model.
 *
 * <p>The channel opens at the first call, so the gateway starts while its upstream is still coming up.
 */
public final class ForwardedModel implements ModelBackend {

    private static final Logger LOG = Logger.getLogger(ForwardedModel.class);

    private final String name;
    private final String remoteName;
    private final Supplier<String> endpoint;
    private final ClientOptions options;
    private final Tokenizer tokenizer;
    private final Executor executor;
    private InferenceClient client;
    private ModelConfig config;

    /**
     * @param endpoint {@code host:port}, resolved at the first call
     * @param executor runs the blocking client calls of {@link #infer}
     */
    public ForwardedModel(
            String name,
            String remoteName,
            Supplier<String> endpoint,
            ClientOptions options,
            Tokenizer tokenizer,
            Executor executor) {
        this.name = name;
        this.remoteName = remoteName;
        this.endpoint = endpoint;
        this.options = options;
        this.tokenizer = tokenizer;
        this.executor = executor;
    }

    private synchronized InferenceClient client() {
        if (client == null) {
            String hostPort = endpoint.get();
            LOG.infof("forwarding model '%s' to '%s' at %s", name, remoteName, hostPort);
            client = new InferenceClient(hostPort, options);
        }
        return client;
    }

    @Override
    public String name() {
        return name;
    }

    /** The remote server's answer for its default version (the client asks without a version). */
    @Override
    public boolean ready(String version) {
        return client().modelReady(remoteName);
    }

    @Override
    public ModelMetadataResponse metadata(String version) {
        return client().metadata(remoteName).toBuilder().setName(name).build();
    }

    /** Fetched once, then kept: the rlhf.v1 services read the sequence limit and output name from it on every call. */
    @Override
    public synchronized ModelConfig config(String version) {
        if (config == null) {
            config = client().modelConfig(remoteName).toBuilder().setName(name).build();
        }
        return config;
    }

    @Override
    public CompletionStage<ModelInferResponse> infer(ModelInferRequest request) {
        ModelInferRequest remote = request.toBuilder().setModelName(remoteName).build();
        return CompletableFuture.supplyAsync(
                () -> client().infer(remote).toBuilder().setModelName(name).build(), executor);
    }

    @Override
    public Optional<Tokenizer> tokenizer() {
        return Optional.ofNullable(tokenizer);
    }

    @Override
    public Optional<ModelStatistics> statistics() {
        return Optional.empty();
    }

    @Override
    public String location() {
        return "'" + remoteName + "' at " + endpoint.get();
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
        }
        if (tokenizer != null) {
            tokenizer.close();
        }
    }
}
