package dev.rlhf.gateway.mapping;

import dev.rlhf.gateway.inference.BatchStatistics;
import dev.rlhf.proto.inference.InferBatchStatistics;
import dev.rlhf.proto.inference.InferStatistics;
import dev.rlhf.proto.inference.ModelStatistics;
import dev.rlhf.proto.inference.StatisticDuration;

/** A model's counters as Triton's ModelStatistics message. */
public final class StatisticsMapper {
    private StatisticsMapper() {}

    public static ModelStatistics of(String name, String version, BatchStatistics stats) {
        ModelStatistics.Builder out = ModelStatistics.newBuilder()
                .setName(name)
                .setVersion(version)
                .setLastInference(stats.lastInferenceMillis())
                .setInferenceCount(stats.inferences())
                .setExecutionCount(stats.executions())
                .setInferenceStats(InferStatistics.newBuilder()
                        .setSuccess(duration(stats.success()))
                        .setFail(duration(stats.fail()))
                        .setQueue(duration(stats.queue()))
                        .setComputeInfer(duration(stats.computeInfer())));
        stats.bySize()
                .forEach((size, runs) -> out.addBatchStats(
                        InferBatchStatistics.newBuilder().setBatchSize(size).setComputeInfer(duration(runs))));
        return out.build();
    }

    private static StatisticDuration duration(BatchStatistics.Duration d) {
        return StatisticDuration.newBuilder()
                .setCount(d.count())
                .setNs(d.nanos())
                .build();
    }
}
