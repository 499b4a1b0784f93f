package dev.rlhf.core.data;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One dataset of a training mix, with every choice made.
 *
 * @param path the data file (gzip or not)
 * @param format its format, or {@link DataFormat#AUTO}
 * @param sample how many training examples to draw from it each epoch
 * @param eval how many examples to hold out for evaluation (a fixed set, never trained on)
 * @param skipBadLines skip and count lines that do not parse, instead of failing on the first
 */
public record DatasetSpec(Path path, DataFormat format, Portion sample, Portion eval, boolean skipBadLines) {
    public DatasetSpec {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(sample, "sample");
        Objects.requireNonNull(eval, "eval");
    }

    /** The whole file for training, nothing held out, bad lines fatal. */
    public static DatasetSpec of(Path path, DataFormat format) {
        return new DatasetSpec(path, format, Portion.all(), new Portion.Size(0), false);
    }

    /** The file name, as datasets are listed in stats and logs. */
    public String name() {
        return path.getFileName().toString();
    }
}
