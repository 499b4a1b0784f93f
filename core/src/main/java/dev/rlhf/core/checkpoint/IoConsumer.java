package dev.rlhf.core.checkpoint;

import java.io.IOException;

/**
 * A {@link java.util.function.Consumer} that may throw {@link IOException}, so that code filling a checkpoint
 * directory can use {@code java.nio.file.Files} without wrapping every call.
 *
 * @param <T> what is consumed, usually a directory {@link java.nio.file.Path}
 */
@FunctionalInterface
public interface IoConsumer<T> {
    void accept(T value) throws IOException;
}
