package dev.rlhf.core.export;

import java.nio.file.Path;

/** An export that could not be written; the message names the file. */
public final class OnnxExportException extends RuntimeException {

    OnnxExportException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem + (cause == null ? "" : ": " + cause.getMessage()), cause);
    }
}
