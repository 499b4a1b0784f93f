package dev.rlhf.core.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicDirectoryTest {
    @TempDir
    Path parent;

    private Path target;

    @BeforeEach
    void writeOldVersion() throws IOException {
        target = parent.resolve("checkpoint");
        Files.createDirectories(target.resolve("sub"));
        Files.writeString(target.resolve("model.safetensors"), "old weights");
        Files.writeString(target.resolve("sub/state.json"), "{\"step\": 1}");
    }

    @Test
    void copiesADirectoryAsHardLinksThatOutliveTheSourcesReplacement() throws IOException {
        Path best = parent.resolve("best");
        AtomicDirectory.copy(target, best);
        assertEquals(contents(target), contents(best));
        for (String file : List.of("model.safetensors", "sub/state.json")) {
            assertEquals(
                    Files.readAttributes(target.resolve(file), BasicFileAttributes.class)
                            .fileKey(),
                    Files.readAttributes(best.resolve(file), BasicFileAttributes.class)
                            .fileKey(),
                    file + " is a link to the source's, not a second copy of its bytes");
        }

        AtomicDirectory.write(target, dir -> Files.writeString(dir.resolve("model.safetensors"), "new weights"));
        assertEquals(Map.of("model.safetensors", "old weights", "sub/state.json", "{\"step\": 1}"), contents(best));
    }

    @Test
    void refusesToCopyWhatIsNotADirectory() throws IOException {
        Path file = parent.resolve("file");
        Files.writeString(file, "x");
        CheckpointException e =
                assertThrows(CheckpointException.class, () -> AtomicDirectory.copy(file, parent.resolve("best")));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
    }

    @Test
    void replacesTheOldContents() throws IOException {
        AtomicDirectory.write(target, dir -> Files.writeString(dir.resolve("model.safetensors"), "new weights"));
        assertEquals(Map.of("model.safetensors", "new weights"), contents(target));
        assertEquals(List.of("checkpoint"), siblings());
    }

    @Test
    void createsAMissingTarget() throws IOException {
        Path fresh = parent.resolve("deeper/fresh");
        AtomicDirectory.write(fresh, dir -> Files.writeString(dir.resolve("a.txt"), "a"));
        assertEquals(Map.of("a.txt", "a"), contents(fresh));
    }

    @Test
    void failingFillerLeavesTheOldDirectoryAndNoTemp() throws IOException {
        Map<String, String> before = contents(target);
        CheckpointException e = assertThrows(
                CheckpointException.class,
                () -> AtomicDirectory.write(target, dir -> {
                    Files.writeString(dir.resolve("model.safetensors"), "half written");
                    Files.createDirectories(dir.resolve("sub"));
                    throw new IOException("disk full");
                }));
        assertTrue(e.getMessage().startsWith(target + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("disk full"), e.getMessage());
        assertEquals(before, contents(target));
        assertEquals(List.of("checkpoint"), siblings());
    }

    @Test
    void fillerRuntimeExceptionPropagatesAndLeavesTheOldDirectory() throws IOException {
        Map<String, String> before = contents(target);
        IllegalStateException failure = new IllegalStateException("NaN in the weights");
        IllegalStateException thrown = assertThrows(
                IllegalStateException.class,
                () -> AtomicDirectory.write(target, dir -> {
                    Files.writeString(dir.resolve("partial"), "x");
                    throw failure;
                }));
        assertSame(failure, thrown);
        assertEquals(before, contents(target));
        assertEquals(List.of("checkpoint"), siblings());
    }

    @Test
    void refusesToReplaceAFile() throws IOException {
        Path file = Files.writeString(parent.resolve("file"), "x");
        CheckpointException e = assertThrows(CheckpointException.class, () -> AtomicDirectory.write(file, dir -> {}));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertEquals("x", Files.readString(file));
    }

    /** Relative path to text of every regular file below {@code root}. */
    private static Map<String, String> contents(Path root) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(Files::isRegularFile).forEach(file -> {
                try {
                    files.put(root.relativize(file).toString(), Files.readString(file));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return files;
    }

    private List<String> siblings() throws IOException {
        try (Stream<Path> list = Files.list(parent)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
