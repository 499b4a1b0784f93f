package dev.rlhf.core.config;

import dev.rlhf.core.data.DataFormat;
import dev.rlhf.core.data.DatasetSpec;
import dev.rlhf.core.data.Portion;
import java.util.List;

/**
 * The {@code data} section: the datasets to mix, and the values they take unless they set their own.
 *
 * @param datasets the files to train on, each with its share of every epoch
 * @param format the default format of a dataset
 * @param split the default evaluation hold-out of each dataset: a fraction ({@code 0.05}) or a row count
 * @param skipBadLines the default for skipping (and counting) unreadable lines instead of failing
 */
public record DataConfig(List<DatasetConfig> datasets, DataFormat format, Portion split, boolean skipBadLines) {
    public DataConfig {
        checkSplit(split);
    }

    /** Every dataset with the section's defaults filled in. */
    public List<DatasetSpec> specs() {
        return datasets.stream()
                .map(d -> new DatasetSpec(
                        d.path(),
                        d.format().orElse(format),
                        d.fraction()
                                .<Portion>map(Portion.Fraction::new)
                                .or(() -> d.size().map(Portion.Size::new))
                                .orElse(Portion.all()),
                        d.split().orElse(split),
                        d.skipBadLines().orElse(skipBadLines)))
                .toList();
    }

    static void checkSplit(Portion split) {
        if (split instanceof Portion.Fraction f) {
            ConfigValueException.require(f.value() < 1, "split", "a fraction must be below 1, got " + f.value());
        }
    }
}
