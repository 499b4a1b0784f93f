package dev.rlhf.core.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {

    /**
     * Writers of one file at the same time (a PPO learner and its workers each write the run's {@code config.yaml})
     * all succeed; the file holds one writer's whole contents and no temp file is left behind.
     */
    @Test
    void concurrentWritersOfOneFileAllSucceedAndTheLastRenameWins(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("config.yaml");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                String contents = ("writer " + w + "\n").repeat(200);
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < 200; i++) {
                        AtomicFile.write(file, contents);
                    }
                }));
            }
            for (Future<?> writer : writers) {
                writer.get(); // rethrows a failed write
            }
        } finally {
            pool.shutdown();
        }
        Set<String> lines = Files.readAllLines(file).stream().collect(Collectors.toSet());
        assertEquals(1, lines.size(), "one writer's contents, whole: " + lines);
        assertTrue(lines.iterator().next().startsWith("writer "));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temp file left");
        }
    }
}
