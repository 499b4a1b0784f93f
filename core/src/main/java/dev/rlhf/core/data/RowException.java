package dev.rlhf.core.data;

/** One row that does not fit its format; the reader adds the file and line. */
final class RowException extends RuntimeException {
    RowException(String reason) {
        super(reason, null, false, false);
    }
}
