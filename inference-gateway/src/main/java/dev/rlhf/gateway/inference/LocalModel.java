package dev.rlhf.gateway.inference;

import ai.onnxruntime.OrtException;
import dev.rlhf.core.tokenizer.Tokenizer;
import dev.rlhf.gateway.mapping.InferRequestDecoder;
import dev.rlhf.gateway.mapping.InferResponseEncoder;
import dev.rlhf.gateway.mapping.ModelMetadataMapper;
import dev.rlhf.gateway.mapping.StatisticsMapper;
import dev.rlhf.gateway.service.GatewayException;
import dev.rlhf.gateway.service.ModelBackend;
import dev.rlhf.proto.inference.ModelConfig;
import dev.rlhf.proto.inference.ModelInferRequest;
import dev.rlhf.proto.inference.ModelInferResponse;
import dev.rlhf.proto.inference.ModelInstanceGroup;
import dev.rlhf.proto.inference.ModelMetadataResponse;
import dev.rlhf.proto.inference.ModelStatistics;
import dev.rlhf.proto.triton.TritonModelConfigs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** A repository model run in this process by ONNX Runtime, behind a {@link DynamicBatcher}. */
public final class LocalModel implements ModelBackend {

    /** How a model is run: whether to merge requests (and how long to wait), and ORT's threads. */
    public record Options(
            boolean batching, OptionalLong queueDelayMicros, OptionalInt intraOpThreads, boolean allowSpinning) {}

    private final ModelFiles files;
    private final String version;
    private final ModelConfig config;
    private final ModelSignature signature;
    private final ModelMetadataResponse metadata;
    private final OnnxSession session;
    private final BatchStatistics statistics = new BatchStatistics();
    private final DynamicBatcher batcher;
    private final Tokenizer tokenizer;

    private LocalModel(ModelFiles files, ModelConfig config, Options options, Tokenizer tokenizer) {
        this.files = files;
        this.version = Integer.toString(files.version());
        this.config = config.toBuilder().setName(files.name()).build();
        this.signature = ModelSignature.of(config, files.name(), files.config().toString());
        this.metadata = ModelMetadataMapper.of(files.name(), version, this.config);
        this.session = new OnnxSession(files.onnx(), signature, options.intraOpThreads(), options.allowSpinning());
        this.tokenizer = tokenizer;
        OptionalLong delay =
                options.queueDelayMicros().isPresent() ? options.queueDelayMicros() : signature.queueDelayMicros();
        this.batcher = new DynamicBatcher(
                files.name(),
                signature.maxBatchSize(),
                options.batching() && delay.isPresent() ? Duration.ofNanos(delay.getAsLong() * 1000) : null,
                instances(config),
                this::execute,
                statistics);
    }

    /** Loads the model in {@code files}; its tokenizer too when a {@code tokenizer.json} lies beside the config. */
    public static LocalModel load(ModelFiles files, Options options) {
        ModelConfig config;
        try {
            config = TritonModelConfigs.read(files.config());
        } catch (IOException e) {
            throw new UncheckedIOException(files.config() + ": cannot read it", e);
        }
        if (!config.getName().isEmpty() && !config.getName().equals(files.name())) {
            throw new ModelLoadException(files.config() + ": name '" + config.getName()
                    + "' differs from the directory name '" + files.name() + "'");
        }
        Tokenizer tokenizer =
                Files.isRegularFile(files.dir().resolve("tokenizer.json")) ? Tokenizer.load(files.dir()) : null;
        try {
            return new LocalModel(files, config, options, tokenizer);
        } catch (RuntimeException e) {
            if (tokenizer != null) {
                tokenizer.close();
            }
            throw e;
        }
    }

    private static int instances(ModelConfig config) {
        int count = config.getInstanceGroupList().stream()
                .mapToInt(ModelInstanceGroup::getCount)
                .sum();
        return Math.max(1, count);
    }

    /** Runs merged calls through ORT; an ORT failure becomes the callers' error. */
    private List<List<OutputTensor>> execute(List<InferCall> calls) {
        BatchPadding.Merged merged = BatchPadding.merge(calls, signature.inputNames());
        try {
            List<OutputTensor> outputs = session.run(merged.rows(), merged.length(), merged.inputs());
            return BatchPadding.split(calls, merged.length(), outputs, signature);
        } catch (OrtException e) {
            if (e.getCode() == OrtException.OrtErrorCode.ORT_INVALID_ARGUMENT) {
                throw new GatewayException.InvalidRequest(
                        "model '" + name() + "' rejected the input: " + e.getMessage(), e);
            }
            throw new GatewayException.Unavailable("model '" + name() + "' failed: " + e.getMessage(), false, e);
        }
    }

    @Override
    public String name() {
        return files.name();
    }

    @Override
    public boolean ready(String requestedVersion) {
        return requestedVersion.isEmpty() || requestedVersion.equals(version);
    }

    @Override
    public ModelMetadataResponse metadata(String requestedVersion) {
        checkVersion(requestedVersion);
        return metadata;
    }

    @Override
    public ModelConfig config(String requestedVersion) {
        checkVersion(requestedVersion);
        return config;
    }

    @Override
    public CompletionStage<ModelInferResponse> infer(ModelInferRequest request) {
        InferCall call;
        try {
            checkVersion(request.getModelVersion());
            call = InferRequestDecoder.decode(request, signature);
        } catch (GatewayException e) {
            return CompletableFuture.failedFuture(e);
        }
        return batcher.submit(call).thenApply(outputs -> InferResponseEncoder.encode(name(), version, call, outputs));
    }

    private void checkVersion(String requestedVersion) {
        if (!ready(requestedVersion)) {
            throw new GatewayException.ModelNotFound("model '" + name() + "' has no version '" + requestedVersion
                    + "' (serving version " + version + ")");
        }
    }

    @Override
    public Optional<Tokenizer> tokenizer() {
        return Optional.ofNullable(tokenizer);
    }

    @Override
    public Optional<ModelStatistics> statistics() {
        return Optional.of(StatisticsMapper.of(name(), version, statistics));
    }

    /** This model's live counters (the same ones {@link #statistics()} reports over KServe v2). */
    public BatchStatistics batchStatistics() {
        return statistics;
    }

    public String version() {
        return version;
    }

    @Override
    public String location() {
        return files.dir().getParent().relativize(files.onnx()).toString(); // REPO/NAME/V/model.onnx -> NAME/V/...
    }

    @Override
    public void close() {
        batcher.close();
        session.close();
        if (tokenizer != null) {
            tokenizer.close();
        }
    }
}
