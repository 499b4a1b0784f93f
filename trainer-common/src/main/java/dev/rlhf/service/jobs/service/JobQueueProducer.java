package dev.rlhf.service.jobs.service;

import dev.rlhf.core.jobs.ConfinedJobRunner;
import dev.rlhf.core.jobs.EndpointAllowList;
import dev.rlhf.core.jobs.JobPaths;
import dev.rlhf.core.jobs.JobQueue;
import dev.rlhf.core.jobs.JobRunner;
import dev.rlhf.core.jobs.JobStore;
import dev.rlhf.core.jobs.MemoryBudgetedRunner;
import dev.rlhf.core.jobs.PathRoots;
import dev.rlhf.service.jobs.config.ApiConfig;
import io.quarkus.runtime.configuration.MemorySize;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * One job queue per service, running the service's {@link JobRunner} (SFT, reward model or PPO). Jobs come from the
 * network here, so every path a spec names must lie inside {@code rlhf.api.path-roots}: the service also produces the
 * {@link JobPaths} of its kind of job. Job records are kept under {@code rlhf.api.state-dir}.
 */
public class JobQueueProducer {

    /** {@code rlhf.api.path-roots}: where jobs may name files, and what error messages say paths relative to. */
    @Produces
    @Singleton
    PathRoots pathRoots(ApiConfig api) {
        return PathRoots.of(api.pathRoots());
    }

    @Produces
    @Singleton
    JobQueue jobQueue(
            JobRunner runner,
            JobPaths paths,
            PathRoots roots,
            ApiConfig api,
            @ConfigProperty(name = "quarkus.application.name") String application) {
        return new JobQueue(
                new ConfinedJobRunner(
                        new MemoryBudgetedRunner(runner, memoryBudget(api), "rlhf.api.memory-budget"),
                        paths,
                        roots,
                        EndpointAllowList.of(api.endpointAllowList().orElse(List.of()))),
                JobStore.in(api.stateDir().resolve(application)));
    }

    /** {@code rlhf.api.memory-budget}, or three quarters of the physical memory the JVM sees (a container's limit). */
    static long memoryBudget(ApiConfig api) {
        return api.memoryBudget().map(MemorySize::asLongValue).orElseGet(() -> {
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            return os.getTotalMemorySize() / 4 * 3;
        });
    }

    void close(@Disposes JobQueue queue) throws InterruptedException {
        queue.close();
    }
}
