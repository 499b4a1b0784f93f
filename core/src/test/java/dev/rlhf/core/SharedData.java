package dev.rlhf.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the shared test data: the {@code rlhf.shared.data} property, else {@code ../shared/data}. */
public final class SharedData {
    private SharedData() {}

    public static Path file(String name) {
        String property = System.getProperty("rlhf.shared.data");
        Path dir = property != null ? Path.of(property) : Path.of("..", "shared", "data");
        Path file = dir.resolve(name);
        assertTrue(Files.isRegularFile(file), "test data missing: " + file.toAbsolutePath());
        return file;
    }

    public static Path tinyShakespeare() {
        return file("tinyshakespeare.txt");
    }
}
