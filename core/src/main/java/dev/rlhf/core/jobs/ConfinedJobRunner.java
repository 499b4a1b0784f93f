package dev.rlhf.core.jobs;

import dev.rlhf.core.config.ConfigEndpoint;
import dev.rlhf.core.config.ConfigException;
import dev.rlhf.core.config.ConfigLoader;
import dev.rlhf.core.config.ConfigPath;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link JobRunner} for specs that come from the network: before the wrapped runner prepares a job (which probes the
 * files the config names and creates the run directory), every path the spec names, a config file named by path
 * ({@code ?configs=my/run.yaml}) included, must lie inside the allowed {@link PathRoots}. A path outside is a
 * {@link ConfigException} naming its key, which the REST API answers with 400. Likewise every network endpoint it
 * would dial must be on the {@link EndpointAllowList}. The command line runs the runners unwrapped: its user is local
 * and may name any file or host.
 */
public final class ConfinedJobRunner implements JobRunner {

    /** The key a config file named by path is reported under: the REST parameter that names it. */
    static final String CONFIGS_KEY = "configs";

    private final JobRunner runner;
    private final JobPaths paths;
    private final PathRoots roots;
    private final EndpointAllowList endpoints;

    /**
     * @param runner prepares the job once its paths are checked
     * @param paths which paths (and endpoints) a spec of this runner's kind names
     * @param roots where the paths may lie
     * @param endpoints which endpoints it may dial
     */
    public ConfinedJobRunner(JobRunner runner, JobPaths paths, PathRoots roots, EndpointAllowList endpoints) {
        this.runner = runner;
        this.paths = paths;
        this.roots = roots;
        this.endpoints = endpoints;
    }

    @Override
    public PreparedJob prepare(JobSpec spec) {
        // Config files named by path first: composing the config reads them.
        List<ConfigPath> configFiles = spec.configNames().stream()
                .filter(ConfigLoader::namesAFile)
                .map(name -> new ConfigPath(CONFIGS_KEY, Path.of(name)))
                .toList();
        requireInside(configFiles);
        requireInside(paths.named(spec));
        List<String> problems = new ArrayList<>();
        for (ConfigEndpoint endpoint : paths.endpoints(spec)) {
            endpoints.problem(endpoint).ifPresent(problems::add);
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return runner.prepare(spec);
    }

    private void requireInside(List<ConfigPath> entries) {
        List<String> problems = new ArrayList<>();
        for (ConfigPath entry : entries) {
            roots.problem(entry).ifPresent(problems::add);
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }
}
