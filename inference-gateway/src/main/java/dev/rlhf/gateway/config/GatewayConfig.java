package dev.rlhf.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** Everything the gateway reads from configuration, under {@code gateway.*}. */
@ConfigMapping(prefix = "gateway")
public interface GatewayConfig {

    /**
     * The Triton-layout model repository served in-process: every {@code REPO/NAME/} holding a {@code config.pbtxt}
     * and a numeric version directory with {@code model.onnx} (the highest version wins). Absent: only forwarded
     * models are served.
     */
    Optional<Path> repo();

    /** How concurrent requests to one model are merged. */
    Batching batching();

    /** Models served by another KServe v2 server (Triton, another gateway), keyed by the name clients use here. */
    Map<String, Forward> models();

    /** The repository model behind {@code rlhf.v1.RewardService} when a request names none. */
    @WithDefault("rm")
    String rewardModel();

    /** The repository model behind {@code rlhf.v1.LogProbService} when a request names none. */
    @WithDefault("ref")
    String logprobModel();

    /** The model behind {@code rlhf.v1.PolicyService}. */
    Policy policy();

    /** ONNX Runtime settings for the in-process models. */
    Onnx onnx();

    /**
     * The bearer token every gRPC call but the health probes must carry as metadata {@code authorization: Bearer
     * <token>} (UNAUTHENTICATED otherwise), like the job API's {@code rlhf.api.token}. Environment variable:
     * {@code GATEWAY_TOKEN}. Unset or empty: no check, and a startup warning.
     */
    Optional<String> token();

    interface Batching {
        /**
         * Merge concurrent requests to a model as its {@code config.pbtxt} {@code dynamic_batching} asks. False runs
         * every request on its own, one at a time per model instance (what Triton does without dynamic batching).
         */
        @WithDefault("true")
        boolean enabled();

        /**
         * Replaces every model's {@code dynamic_batching.max_queue_delay_microseconds}: how long the first request of
         * a batch may wait for others to join it.
         */
        OptionalLong maxQueueDelayMicros();
    }

    interface Forward {
        /**
         * {@code host:port} of the server that runs this model; readiness, metadata, config and inference are
         * forwarded. Read when the first call is forwarded, so an expression such as {@code
         * localhost:${quarkus.http.port}} sees the port actually bound.
         */
        String endpoint();

        /** The model's name on that server; default: the same name. */
        Optional<String> remoteName();

        /** Time allowed for one attempt of a forwarded call. */
        @WithDefault("30s")
        Duration deadline();

        /** Attempts per forwarded call; UNAVAILABLE and DEADLINE_EXCEEDED are retried with exponential backoff. */
        @WithDefault("4")
        int maxAttempts();

        /**
         * A directory with the model's {@code tokenizer.json}, so that RewardService and LogProbService can serve a
         * forwarded model (in-process models find theirs beside {@code config.pbtxt}).
         */
        Optional<Path> tokenizer();
    }

    interface Policy {
        /**
         * A Hugging Face layout model directory ({@code config.json}, {@code model.safetensors}, {@code
         * tokenizer.json}) that {@code PolicyService.Generate} decodes with; absent: Generate answers
         * FAILED_PRECONDITION.
         */
        Optional<Path> path();

        /**
         * The name requests give in {@code GenerateRequest.model} and the OpenAI {@code model} field, and the id
         * {@code GET /v1/models} lists; default: the name of the policy's directory.
         */
        Optional<String> name();

        /**
         * The most rows (prompts, counting each chat choice) one generation batch holds: requests waiting when a batch
         * starts are merged up to this many rows.
         */
        @WithDefault("32")
        int maxBatch();

        /** The most choices ({@code n}) one chat completion may ask for; more is a 400 naming {@code n}. */
        @WithDefault("8")
        int maxN();

        /**
         * Generation requests (gRPC Generate and chat completions) admitted at once, running or waiting for the one
         * running; one more is refused (HTTP 429, gRPC RESOURCE_EXHAUSTED) instead of queueing without bound.
         */
        @WithDefault("64")
        int maxQueue();
    }

    interface Onnx {
        /** Threads ONNX Runtime may use inside one model execution; absent lets it choose (one per core). */
        OptionalInt intraOpThreads();

        /**
         * Let ONNX Runtime's threads spin while they wait for work (ORT's own default). Off here: the gateway's gRPC
         * and batching threads share the cores, and spinning ORT threads take their CPU (on 2 cores, throughput at 64
         * clients was 1.5-2.7x lower with spinning; see BENCHMARKS.md). Turn it on for a machine with cores to spare.
         */
        @WithDefault("false")
        boolean allowSpinning();
    }
}
