package dev.rlhf.core.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes small config files for tests, and finds the example configs of the repository. */
final class ConfigFiles {
    /** The smallest valid model section, so that tests can bind to SftConfig. */
    static final String MODEL = "model:\n  init: configs/model/tiny.json\n  tokenizer: runs/demo/tokenizer\n";

    private ConfigFiles() {}

    static Path write(Path dir, String name, String yaml) {
        try {
            return Files.writeString(dir.resolve(name), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code configs/sft} of the repository; tests run in {@code core/}. */
    static Path examples() {
        Path dir = Path.of("..", "configs", "sft");
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("example configs not found at " + dir.toAbsolutePath());
        }
        return dir;
    }
}
