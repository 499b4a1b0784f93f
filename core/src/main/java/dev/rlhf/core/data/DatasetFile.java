package dev.rlhf.core.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The rows read from one data file.
 *
 * @param file the file
 * @param format the format it was read as ({@code hh}, {@code chat}, {@code text}, ...)
 * @param rows the rows, in file order
 * @param skippedLines lines that did not parse and were skipped (only with skip_bad_lines)
 * @param firstSkipped the first of those, as {@code file:line: reason}, to show the user what went wrong
 * @param <T> the row type
 */
public record DatasetFile<T>(Path file, String format, List<T> rows, int skippedLines, Optional<String> firstSkipped) {
    public DatasetFile {
        rows = List.copyOf(rows);
    }
}
