package dev.rlhf.core.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rlhf.core.runs.AtomicFile;
import dev.rlhf.core.runs.RunException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Keeps job records across restarts of a service: one JSON file per job, {@code <dir>/<id>.json}, replaced atomically
 * at every change of state. {@link #none()} keeps nothing (the command line, tests of the queue alone).
 */
public final class JobStore {

    private static final Logger LOG = Logger.getLogger(JobStore.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Optional<Path> dir;

    private JobStore(Optional<Path> dir) {
        this.dir = dir;
    }

    /** Records under {@code dir}, created if missing. */
    public static JobStore in(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new RunException(dir + ": cannot create the job state directory: " + e, e);
        }
        return new JobStore(Optional.of(dir));
    }

    /** Keeps nothing. */
    public static JobStore none() {
        return new JobStore(Optional.empty());
    }

    public void save(JobRecord record) {
        if (dir.isEmpty()) {
            return;
        }
        try {
            AtomicFile.write(dir.get().resolve(record.id() + ".json"), JSON.writeValueAsString(record));
        } catch (IOException e) {
            throw new RunException(dir.get() + ": cannot write job " + record.id() + ": " + e, e);
        }
    }

    /** Every readable record, oldest submission first; an unreadable file is skipped with a warning. */
    public List<JobRecord> load() {
        if (dir.isEmpty()) {
            return List.of();
        }
        List<JobRecord> records = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir.get())) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("[A-Za-z0-9-]+\\.json"))
                    .toList()) {
                try {
                    records.add(JSON.readValue(file.toFile(), JobRecord.class));
                } catch (IOException e) {
                    LOG.warning(file + ": not a job record, skipped (" + e.getMessage() + ")");
                }
            }
        } catch (IOException e) {
            throw new RunException(dir.get() + ": cannot list job records: " + e, e);
        }
        records.sort(Comparator.comparing(JobRecord::submitted, Comparator.nullsFirst(Comparator.naturalOrder())));
        return records;
    }
}
