package dev.rlhf.core.jobs;

import dev.rlhf.core.config.ConfigEndpoint;
import dev.rlhf.core.config.ConfigException;
import dev.rlhf.core.config.ConfigPath;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The kinds of job one service runs (the rl-trainer: {@code ppo}, {@code eval}), each a runner and its paths, chosen
 * by the spec's {@link JobSpec#kind()} ({@code POST /jobs?kind=eval}); a spec without one gets the first kind. An
 * unknown kind is bad input naming {@code kind} and the kinds there are.
 */
public final class JobKinds implements JobRunner, JobPaths {

    /** One kind: how its jobs are prepared and which paths and endpoints their configs name. */
    public record Kind(JobRunner runner, JobPaths paths) {}

    private final Map<String, Kind> kinds;
    private final String first;

    /** @param kinds by name, the default first */
    public JobKinds(Map<String, Kind> kinds) {
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("a service runs at least one kind of job");
        }
        this.kinds = new LinkedHashMap<>(kinds);
        this.first = kinds.keySet().iterator().next();
    }

    private Kind of(JobSpec spec) {
        String name = spec.kind().orElse(first);
        Kind kind = kinds.get(name);
        if (kind == null) {
            throw new ConfigException(
                    "kind: '" + name + "' is no kind of job this service runs " + List.copyOf(kinds.keySet()));
        }
        return kind;
    }

    @Override
    public PreparedJob prepare(JobSpec spec) {
        return of(spec).runner().prepare(spec);
    }

    @Override
    public List<ConfigPath> named(JobSpec spec) {
        return of(spec).paths().named(spec);
    }

    @Override
    public List<ConfigEndpoint> endpoints(JobSpec spec) {
        return of(spec).paths().endpoints(spec);
    }
}
