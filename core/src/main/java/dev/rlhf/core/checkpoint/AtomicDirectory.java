package dev.rlhf.core.checkpoint;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Replaces a directory with new contents so that readers see either the old or the new version, never a half-written
 * one: a checkpoint interrupted by a crash or an exception must not destroy the previous checkpoint.
 *
 * <p>The contents are written into a temporary sibling {@code .<name>.tmp-<random>} and fsynced; then the existing
 * directory is renamed to {@code .<name>.old-<random>}, the temporary one is renamed to the target, and the old one is
 * deleted. Both renames are atomic within one file system. A crash between them leaves the previous version under the
 * {@code .old-} name; a failure to delete it afterwards is ignored, as the new version is already in place.
 */
public final class AtomicDirectory {
    private AtomicDirectory() {}

    /**
     * Creates a temporary directory, lets {@code filler} write into it, and moves it to {@code target}. If the filler or
     * any step fails, the temporary directory is deleted and an existing {@code target} is left untouched.
     */
    public static void write(Path target, IoConsumer<Path> filler) {
        Path absolute = target.toAbsolutePath().normalize();
        Path parent = absolute.getParent();
        if (parent == null) {
            throw CheckpointException.at(target, "cannot replace a file system root");
        }
        if (Files.exists(absolute, LinkOption.NOFOLLOW_LINKS)
                && !Files.isDirectory(absolute, LinkOption.NOFOLLOW_LINKS)) {
            throw CheckpointException.at(target, "exists and is not a directory");
        }
        Path temp = sibling(absolute, "tmp");
        try {
            Files.createDirectories(parent);
            Files.createDirectory(temp);
            filler.accept(temp);
            syncTree(temp);
        } catch (IOException e) {
            deleteAfterFailure(temp, e);
            throw CheckpointException.io(target, "cannot write the new directory", e);
        } catch (RuntimeException | Error e) {
            deleteAfterFailure(temp, e);
            throw e;
        }
        moveIntoPlace(target, absolute, temp);
    }

    /**
     * Replaces {@code target} with a copy of the directory {@code source}, as {@link #write} does: every file a hard
     * link to the source's (a plain copy where the file system refuses links), so a second checkpoint of state just
     * saved costs no serialisation and no data written. Safe because checkpoint files are never changed in place:
     * {@link #write} replaces a directory with new files, and the links keep the old ones alive.
     */
    public static void copy(Path source, Path target) {
        Path from = source.toAbsolutePath().normalize();
        if (!Files.isDirectory(from)) {
            throw CheckpointException.at(source, "is not a directory to copy");
        }
        write(target, dir -> {
            try (Stream<Path> walk = Files.walk(from)) {
                for (Path path : walk.skip(1).toList()) {
                    Path to = dir.resolve(from.relativize(path).toString());
                    if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                        Files.createDirectory(to);
                    } else {
                        linkOrCopy(path, to);
                    }
                }
            }
        });
    }

    private static void linkOrCopy(Path file, Path to) throws IOException {
        try {
            Files.createLink(to, file);
        } catch (UnsupportedOperationException | FileSystemException e) {
            Files.copy(file, to, StandardCopyOption.COPY_ATTRIBUTES);
        }
    }

    private static void moveIntoPlace(Path target, Path absolute, Path temp) {
        Path old = null;
        try {
            if (Files.exists(absolute, LinkOption.NOFOLLOW_LINKS)) {
                old = sibling(absolute, "old");
                Files.move(absolute, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            restoreAfterFailure(old, absolute, e);
            deleteAfterFailure(temp, e);
            throw CheckpointException.io(target, "cannot move the new directory into place", e);
        }
        syncDirectory(absolute.getParent());
        if (old != null) {
            try {
                deleteTree(old);
            } catch (IOException ignored) {
                // The new version is in place; a leftover .old- directory is harmless and visible.
            }
        }
    }

    private static Path sibling(Path target, String kind) {
        String random = UUID.randomUUID().toString().substring(0, 8);
        return target.resolveSibling("." + target.getFileName() + "." + kind + "-" + random);
    }

    /** Flushes every file, then every directory bottom-up, so that the rename publishes durable contents. */
    private static void syncTree(Path root) throws IOException {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(root)) {
            paths = walk.collect(Collectors.toList());
        }
        for (Path path : paths) {
            if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
                    channel.force(true);
                }
            }
        }
        for (int i = paths.size() - 1; i >= 0; i--) {
            if (Files.isDirectory(paths.get(i), LinkOption.NOFOLLOW_LINKS)) {
                syncDirectory(paths.get(i));
            }
        }
    }

    /** Best effort: Linux can fsync a directory opened for reading, other systems may refuse. */
    private static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException ignored) {
            // Not supported here; the data files themselves were synced.
        }
    }

    private static void restoreAfterFailure(Path old, Path absolute, Exception failure) {
        if (old == null || Files.exists(absolute, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.move(old, absolute, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    private static void deleteAfterFailure(Path directory, Throwable failure) {
        try {
            deleteTree(directory);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    /** Deletes {@code root} and everything below it, without following links; a missing root is fine. */
    private static void deleteTree(Path root) throws IOException {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path directory, IOException failure) throws IOException {
                    if (failure != null) {
                        throw failure;
                    }
                    Files.delete(directory);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException e) {
            if (!e.getFile().equals(root.toString())) {
                throw e;
            }
        }
    }
}
