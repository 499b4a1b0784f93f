package dev.rlhf.core.runs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code samples/}: the generations on a run's fixed sample prompts, one {@code step-<N>.txt} per evaluation, so that a
 * run's progress can be read as text (by a person, or by the dashboard through the job API). A file is
 *
 * <pre>
 *     ### prompt
 *     How do I bake bread?
 *     ### completion
 *     Mix flour, water and yeast...
 *     (blank line)
 *     ### prompt
 *     ...
 * </pre>
 *
 * <p>Each file is written atomically, so a live reader sees a whole evaluation or none of it. A completion that itself
 * contains a blank line followed by {@code ### prompt} cannot be told apart from the next sample.
 */
public final class SampleLog {

    /** The directory's name inside a run directory. */
    public static final String DIR = "samples";

    private static final String PROMPT = "### prompt\n";
    private static final String COMPLETION = "\n### completion\n";
    private static final String SEPARATOR = "\n\n";
    private static final Pattern FILE = Pattern.compile("step-(\\d+)\\.txt");

    /** One prompt and what the model generated for it. */
    public record Sample(String prompt, String completion) {}

    /** The samples generated at one step. */
    public record Entry(long step, List<Sample> samples) {
        public Entry {
            samples = List.copyOf(samples);
        }
    }

    private final Path dir;

    public SampleLog(Path dir) {
        this.dir = dir;
    }

    /** The sample log of the run directory {@code runDir}, which need not exist yet. */
    public static SampleLog of(Path runDir) {
        return new SampleLog(runDir.resolve(DIR));
    }

    /** Writes (or replaces) the samples of {@code step}. */
    public void write(long step, List<Sample> samples) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new RunException(dir + ": cannot create the samples directory: " + e, e);
        }
        AtomicFile.write(dir.resolve(String.format("step-%06d.txt", step)), format(samples));
    }

    /** The {@code limit} latest steps' samples, newest first; empty when nothing was written yet. */
    public List<Entry> latest(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        List<Entry> entries = new ArrayList<>();
        for (StepFile file : stepFiles().stream().limit(limit).toList()) {
            entries.add(new Entry(file.step(), parse(read(file.path()))));
        }
        return entries;
    }

    /** The directory. */
    public Path dir() {
        return dir;
    }

    static String format(List<Sample> samples) {
        StringBuilder text = new StringBuilder();
        for (Sample sample : samples) {
            text.append(PROMPT).append(sample.prompt()).append(COMPLETION);
            text.append(sample.completion()).append(SEPARATOR);
        }
        return text.toString();
    }

    static List<Sample> parse(String text) {
        if (!text.startsWith(PROMPT)) {
            return List.of();
        }
        String body = text.endsWith(SEPARATOR) ? text.substring(0, text.length() - SEPARATOR.length()) : text;
        List<Sample> samples = new ArrayList<>();
        for (String block : body.substring(PROMPT.length()).split(SEPARATOR + PROMPT, -1)) {
            int split = block.indexOf(COMPLETION);
            samples.add(
                    split < 0
                            ? new Sample(block, "")
                            : new Sample(block.substring(0, split), block.substring(split + COMPLETION.length())));
        }
        return samples;
    }

    private record StepFile(long step, Path path) {}

    /** The {@code step-<N>.txt} files, highest step first. */
    private List<StepFile> stepFiles() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.flatMap(path -> {
                        Matcher m = FILE.matcher(path.getFileName().toString());
                        return m.matches() ? Stream.of(new StepFile(Long.parseLong(m.group(1)), path)) : Stream.of();
                    })
                    .sorted(Comparator.comparingLong(StepFile::step).reversed())
                    .toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new RunException(dir + ": cannot list samples: " + e, e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RunException(file + ": cannot read samples: " + e, e);
        }
    }
}
