package dev.rlhf.core.runs;

import dev.rlhf.core.config.ComposedConfig;
import dev.rlhf.core.config.ConfigLoader;
import dev.rlhf.core.config.ConfigValueException;
import dev.rlhf.core.config.ConfigWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The directory of one training run, {@code <output_dir>/<project>/<run-name>}:
 *
 * <pre>
 *     config.yaml         the resolved config, exactly as used (tags included)
 *     metrics.jsonl       one JSON object per logged step ({@link MetricsLog})
 *     log.json            per-epoch summaries ({@link EpochLog})
 *     checkpoints/last/   the latest checkpoint (written by the trainer, atomically)
 *     checkpoints/best/   the best one by the job's eval metric
 *     samples/            generations on the fixed eval prompts ({@link SampleLog})
 *     finished.json       present once the run trained to its end: {"step": N}
 *     export/             a Triton model repository, when exported
 * </pre>
 *
 * <p>The run name is {@code <exp>-<config names>} (the implied {@code defaults} left out), e.g.
 * {@code sft1-tiny-llama-hh-sft}; a debug run goes to the project {@code <project>-debug}, beside its real runs, so it
 * is never mistaken for one and can be deleted wholesale. Creating a run directory that exists opens it as is, so a
 * resumed job appends to its own metrics.
 */
public final class RunDirectory {
    public static final String CONFIG_YAML = "config.yaml";
    public static final String METRICS_JSONL = "metrics.jsonl";
    public static final String LOG_JSON = "log.json";
    public static final String FINISHED_JSON = "finished.json";

    private final Path path;

    private RunDirectory(Path path) {
        this.path = path;
    }

    /** Creates (or opens) {@code <outputDir>/<project>[-debug]/<exp>-<config names>} and its subdirectories. */
    public static RunDirectory create(
            Path outputDir, String project, String exp, List<String> configNames, boolean debug) {
        requireName("project", project);
        requireName("exp", exp);
        return open(outputDir.resolve(projectName(project, debug)).resolve(runName(exp, configNames)));
    }

    /** Opens a run directory, creating it and its {@code checkpoints/} and {@code samples/} if missing. */
    public static RunDirectory open(Path dir) {
        RunDirectory run = new RunDirectory(dir);
        try {
            Files.createDirectories(run.checkpoints());
            Files.createDirectories(run.samplesDir());
        } catch (IOException e) {
            throw new RunException(dir + ": cannot create the run directory: " + e, e);
        }
        return run;
    }

    /** {@code project}, or {@code project-debug} for a debug run. */
    public static String projectName(String project, boolean debug) {
        return safe(debug ? project + "-debug" : project);
    }

    /** {@code exp} followed by the config names (paths reduced to their file stem, {@code defaults} left out). */
    public static String runName(String exp, List<String> configNames) {
        List<String> parts = new ArrayList<>();
        parts.add(exp);
        for (String name : configNames) {
            String stem = stem(name);
            if (!stem.equals(ConfigLoader.DEFAULTS)) {
                parts.add(stem);
            }
        }
        return safe(String.join("-", parts));
    }

    /**
     * Writes {@code config.yaml} atomically: the resolved config, headed by comments naming the configs and overrides
     * it was composed from.
     */
    public void writeConfig(Record config, ComposedConfig composed) {
        List<String> header = new ArrayList<>();
        header.add("resolved config; composed from: defaults"
                + composed.names().stream()
                        .filter(n -> !n.equals(ConfigLoader.DEFAULTS))
                        .map(n -> " " + n)
                        .collect(Collectors.joining()));
        composed.overrides().forEach(o -> header.add("--set " + o));
        writeConfig(config, header);
    }

    /** Writes {@code config.yaml} atomically: the resolved config, after {@code header} comment lines. */
    public void writeConfig(Record config, List<String> header) {
        AtomicFile.write(configFile(), ConfigWriter.toYaml(config, header));
    }

    /**
     * Deletes {@code dir} if it holds no file at all (only the empty directories {@link #create} makes), as for a job
     * refused after its run directory was resolved; a directory with anything written in it is left alone.
     */
    public static void deleteIfUnused(Path dir) {
        try (var entries = Files.walk(dir)) {
            List<Path> all = entries.sorted(java.util.Comparator.reverseOrder()).toList();
            if (all.stream().allMatch(Files::isDirectory)) {
                for (Path p : all) {
                    Files.delete(p);
                }
            }
        } catch (IOException e) {
            // best effort: an empty directory left behind is harmless
        }
    }

    public Path path() {
        return path;
    }

    /** Records that the run trained to its end, at {@code step}. */
    public void markFinished(long step) {
        AtomicFile.write(path.resolve(FINISHED_JSON), "{\"step\": " + step + "}\n");
    }

    /** Forgets that the run finished: it is training again. */
    public void clearFinished() {
        try {
            Files.deleteIfExists(path.resolve(FINISHED_JSON));
        } catch (IOException e) {
            throw new RunException(path.resolve(FINISHED_JSON) + ": cannot delete: " + e, e);
        }
    }

    /** The step the run finished at, when it trained to its end and has not been restarted since. */
    public Optional<Long> finishedStep() {
        Path file = path.resolve(FINISHED_JSON);
        try {
            String text = Files.readString(file).replaceAll("[^0-9]", "");
            return Optional.of(text.isEmpty() ? 0L : Long.parseLong(text));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new RunException(file + ": cannot read: " + e, e);
        }
    }

    public Path configFile() {
        return path.resolve(CONFIG_YAML);
    }

    public MetricsLog metrics() {
        return new MetricsLog(path.resolve(METRICS_JSONL));
    }

    public EpochLog epochLog() {
        return new EpochLog(path.resolve(LOG_JSON));
    }

    public Path checkpoints() {
        return path.resolve("checkpoints");
    }

    public Path lastCheckpoint() {
        return checkpoints().resolve("last");
    }

    public Path bestCheckpoint() {
        return checkpoints().resolve("best");
    }

    public Path samplesDir() {
        return path.resolve(SampleLog.DIR);
    }

    public SampleLog samples() {
        return new SampleLog(samplesDir());
    }

    public Path exportDir() {
        return path.resolve("export");
    }

    private static String stem(String name) {
        String file = Path.of(name).getFileName().toString();
        return file.replaceFirst("\\.(yaml|yml|json)$", "");
    }

    /** A name that would make the run directory climb out of, or be, its parent is a bad config value. */
    private static void requireName(String key, String name) {
        if (name.isBlank() || name.strip().matches("\\.+")) {
            throw new ConfigValueException(key, "'" + name + "' cannot name a run directory");
        }
    }

    /** Keeps names to letters, digits, {@code . _ -}, so a run directory is one path segment. */
    private static String safe(String name) {
        String cleaned = name.replaceAll("[^A-Za-z0-9._-]", "_");
        if (cleaned.isEmpty() || cleaned.equals(".") || cleaned.equals("..")) {
            throw new RunException("'" + name + "' cannot name a run directory");
        }
        return cleaned;
    }
}
