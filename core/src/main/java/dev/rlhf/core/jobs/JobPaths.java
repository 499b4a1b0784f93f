package dev.rlhf.core.jobs;

import dev.rlhf.core.config.ConfigEndpoint;
import dev.rlhf.core.config.ConfigLoader;
import dev.rlhf.core.config.ConfigPath;
import dev.rlhf.core.config.EndpointValuedConfig;
import dev.rlhf.core.config.PathValuedConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * Which files and directories (and network endpoints) a job spec names, keyed by config key: one per kind of job (SFT,
 * reward model, PPO), so that a service can confine them ({@link ConfinedJobRunner}) without knowing the kind's config.
 */
@FunctionalInterface
public interface JobPaths {

    /** Every path the spec's composed config sets; bad input throws as the runner would, naming the key. */
    List<ConfigPath> named(JobSpec spec);

    /** Every network endpoint the spec's composed config makes the job dial; none for kinds that dial nothing. */
    default List<ConfigEndpoint> endpoints(JobSpec spec) {
        return List.of();
    }

    /**
     * The paths of a config record, composed exactly as the kind's runner composes it: the loader's defaults, the
     * named configs from {@code configDirs}, the request body, the overrides.
     */
    static <T extends Record & PathValuedConfig> JobPaths fromConfig(
            ConfigLoader loader, Class<T> type, List<Path> configDirs) {
        List<Path> dirs = List.copyOf(configDirs);
        Function<JobSpec, T> bind =
                spec -> loader.compose(dirs, spec.configNames(), spec.body(), "request body", spec.overrides())
                        .bind(type);
        return new JobPaths() {
            @Override
            public List<ConfigPath> named(JobSpec spec) {
                return bind.apply(spec).paths();
            }

            @Override
            public List<ConfigEndpoint> endpoints(JobSpec spec) {
                return bind.apply(spec) instanceof EndpointValuedConfig c ? c.endpoints() : List.of();
            }
        };
    }
}
