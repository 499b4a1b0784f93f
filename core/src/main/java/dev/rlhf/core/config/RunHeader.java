package dev.rlhf.core.config;

import java.nio.file.Path;
import java.util.List;

/**
 * The keys every job config starts with, which say where its run lives and whether it continues one (top-level keys:
 * the component holding it is {@link Unwrapped}).
 *
 * @param outputDir where run directories are made: {@code <output_dir>/<project>/<exp>-<config names>}
 * @param project groups runs; becomes {@code <project>-debug} when {@code debug} is true
 * @param exp the experiment name, the first part of the run directory name
 * @param tags free labels, stored with the run's {@code config.yaml}
 * @param debug a quick run that lands in the {@code -debug} project
 * @param resume whether the job continues from a checkpoint ({@link ResumePolicy})
 */
public record RunHeader(
        Path outputDir, String project, String exp, List<String> tags, boolean debug, ResumePolicy resume) {
    public RunHeader {
        ConfigValueException.require(!project.isBlank(), "project", "must not be empty");
        ConfigValueException.require(!exp.isBlank(), "exp", "must not be empty");
    }
}
