package dev.rlhf.gateway.metrics;

import dev.rlhf.gateway.inference.BatchStatistics;
import dev.rlhf.gateway.inference.LocalModel;
import dev.rlhf.gateway.service.ModelRegistry;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.inject.Singleton;
import java.util.function.ToDoubleFunction;

/**
 * Each in-process model's inference counters on {@code /q/metrics}, under the names Triton's Prometheus endpoint uses
 * (so a dashboard built for Triton reads the gateway too), labelled {@code model} and {@code version}:
 *
 * <ul>
 *   <li>{@code nv_inference_request_success_total}, {@code nv_inference_request_failure_total}: requests answered
 *       and failed;
 *   <li>{@code nv_inference_count_total}: rows inferred, {@code nv_inference_exec_count_total}: model executions
 *       (merged batches), so their ratio of rates is the mean batch size dynamic batching achieved;
 *   <li>{@code nv_inference_request_duration_us_total}, {@code nv_inference_queue_duration_us_total},
 *       {@code nv_inference_compute_infer_duration_us_total}: cumulative microseconds end to end, waiting in the
 *       batcher's queue, and in the model.
 * </ul>
 *
 * Forwarded models are counted by the Triton server that runs them. The gRPC server's per-method request counts and
 * status codes come from Quarkus's gRPC binder ({@code grpc_server_*}).
 */
@Singleton
public class ModelMetrics implements MeterBinder {

    private final ModelRegistry models;

    public ModelMetrics(ModelRegistry models) {
        this.models = models;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        models.all().stream()
                .filter(LocalModel.class::isInstance)
                .map(LocalModel.class::cast)
                .forEach(model -> bind(registry, model));
    }

    private static void bind(MeterRegistry registry, LocalModel model) {
        Tags tags = Tags.of("model", model.name(), "version", model.version());
        BatchStatistics stats = model.batchStatistics();
        counter(
                registry,
                "nv_inference_request_success",
                "requests answered",
                tags,
                stats,
                s -> s.success().count());
        counter(
                registry,
                "nv_inference_request_failure",
                "requests failed",
                tags,
                stats,
                s -> s.fail().count());
        counter(registry, "nv_inference_count", "rows inferred", tags, stats, BatchStatistics::inferences);
        counter(
                registry,
                "nv_inference_exec_count",
                "model executions (merged batches)",
                tags,
                stats,
                s -> s.executions());
        counter(
                registry,
                "nv_inference_request_duration_us",
                "microseconds end to end",
                tags,
                stats,
                s -> micros(s.success().nanos() + s.fail().nanos()));
        counter(
                registry,
                "nv_inference_queue_duration_us",
                "microseconds in the batcher's queue",
                tags,
                stats,
                s -> micros(s.queue().nanos()));
        counter(
                registry,
                "nv_inference_compute_infer_duration_us",
                "microseconds in the model",
                tags,
                stats,
                s -> micros(s.computeInfer().nanos()));
    }

    private static void counter(
            MeterRegistry registry,
            String name,
            String description,
            Tags tags,
            BatchStatistics stats,
            ToDoubleFunction<BatchStatistics> value) {
        FunctionCounter.builder(name, stats, value)
                .description(description)
                .tags(tags)
                .register(registry);
    }

    private static double micros(long nanos) {
        return nanos / 1e3;
    }
}
