package dev.rlhf.service.jobs.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.rlhf.core.jobs.Job;
import java.util.Map;

/** One logged step of a job's metrics series. */
public record MetricsPointView(
        long step, @JsonProperty("total_steps") long totalSteps, Map<String, Object> values) {

    public static MetricsPointView of(Job.MetricsPoint point) {
        return new MetricsPointView(point.step(), point.totalSteps(), point.values());
    }
}
