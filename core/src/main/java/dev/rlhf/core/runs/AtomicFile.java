package dev.rlhf.core.runs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Replaces a small file so that readers see the old or the new contents, never a mix: temp file, fsync, rename. Each
 * write has a temp file of its own, so processes sharing a run directory (a PPO learner and its workers each write the
 * run's {@code config.yaml}) can write the same file at once: the last rename wins.
 */
public final class AtomicFile {
    private AtomicFile() {}

    public static void write(Path file, String contents) {
        // a name of its own (not Files.createTempFile: its owner-only permissions would pass to the file)
        Path temp = file.resolveSibling("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.writeString(
                    temp, contents, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // the write already failed; that error is the one to report
            }
            throw new RunException(file + ": cannot write: " + e, e);
        }
    }
}
