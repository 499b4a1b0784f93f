package dev.rlhf.core.jobs;

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
 * {@link ConfigException} naming its key, which the REST API answers with 400. The command line runs the runners
 * unwrapped: its user is local and may name any file.
 */
public final class ConfinedJobRunner implements JobRunner {

    /** The key a config file named by path is reported under: the REST parameter that names it. */
    static final String CONFIGS_KEY = "configs";

    private final JobRunner runner;
    private final JobPaths paths;
    private final PathRoots roots;

    /**
     * @param runner prepares the job once its paths are checked
     * @param paths which paths a spec of this runner's kind names
     * @param roots where they may lie
     */
    public ConfinedJobRunner(JobRunner runner, JobPaths paths, PathRoots roots) {
        this.runner = runner;
        this.paths = paths;
        this.roots = roots;
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
