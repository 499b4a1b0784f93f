package dev.rlhf.core.config;

import dev.rlhf.core.data.DataFormat;
import dev.rlhf.core.data.Portion;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One entry of {@code data.datasets}. Keys left out take the values of the {@code data} section.
 *
 * @param path the data file, relative to the working directory; {@code .gz} or not
 * @param format how to read it; default {@code data.format}
 * @param fraction the share of its training rows drawn each epoch, in (0, 1]; default all
 * @param size the number of training rows drawn each epoch (repeating rows if it exceeds them); not with fraction
 * @param split the held-out evaluation part: a fraction ({@code 0.05}) or a row count ({@code 200}); default
 *     {@code data.split}
 * @param skipBadLines skip unreadable lines and count them; default {@code data.skip_bad_lines}
 */
public record DatasetConfig(
        Path path,
        Optional<DataFormat> format,
        Optional<Double> fraction,
        Optional<Integer> size,
        Optional<Portion> split,
        Optional<Boolean> skipBadLines) {
    public DatasetConfig {
        ConfigValueException.require(fraction.isEmpty() || size.isEmpty(), "size", "give fraction or size, not both");
        fraction.ifPresent(
                f -> ConfigValueException.require(f > 0 && f <= 1, "fraction", "must be in (0, 1], got " + f));
        size.ifPresent(s -> ConfigValueException.positive("size", s));
        split.ifPresent(DataConfig::checkSplit);
    }
}
