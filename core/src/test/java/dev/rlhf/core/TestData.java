package dev.rlhf.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the data shipped in the repository's {@code data/}: the {@code rlhf.data} property, else {@code ../data}. */
public final class TestData {
    private TestData() {}

    public static Path file(String name) {
        String property = System.getProperty("rlhf.data");
        Path dir = property != null ? Path.of(property) : Path.of("..", "data");
        Path file = dir.resolve(name);
        assertTrue(Files.isRegularFile(file), "test data missing: " + file.toAbsolutePath());
        return file;
    }

    public static Path tinyShakespeare() {
        return file("tinyshakespeare.txt");
    }
}
