package dev.rlhf.core.checkpoint;

import java.util.Locale;

/**
 * transformers' {@code max_shard_size} syntax ({@code convert_file_size_to_int}): a byte count, or an integer followed
 * by a unit, decimal ({@code KB}, {@code MB}, {@code GB}: powers of 10) or binary ({@code KiB}, {@code MiB},
 * {@code GiB}: powers of 2), case-insensitive; {@code "5GB"} is 5 * 10^9 bytes.
 */
public final class ShardSize {
    private ShardSize() {}

    /**
     * The bytes {@code size} stands for.
     *
     * @throws IllegalArgumentException with the accepted forms, for anything else or a size below 1 byte
     */
    public static long parse(String size) {
        String s = size.strip().toUpperCase(Locale.ROOT);
        long bytes;
        try {
            bytes = s.endsWith("GIB")
                    ? times(s, 3, 1L << 30)
                    : s.endsWith("MIB")
                            ? times(s, 3, 1L << 20)
                            : s.endsWith("KIB")
                                    ? times(s, 3, 1L << 10)
                                    : s.endsWith("GB")
                                            ? times(s, 2, 1_000_000_000L)
                                            : s.endsWith("MB")
                                                    ? times(s, 2, 1_000_000L)
                                                    : s.endsWith("KB") ? times(s, 2, 1_000L) : Long.parseLong(s);
        } catch (NumberFormatException | ArithmeticException e) {
            throw invalid(size);
        }
        if (bytes < 1) {
            throw invalid(size);
        }
        return bytes;
    }

    private static long times(String s, int unitLength, long unit) {
        return Math.multiplyExact(
                Long.parseLong(s.substring(0, s.length() - unitLength).strip()), unit);
    }

    private static IllegalArgumentException invalid(String size) {
        return new IllegalArgumentException("'" + size + "' is not a shard size: give a positive integer of bytes or "
                + "one followed by KB, MB, GB (10^3, 10^6, 10^9) or KiB, MiB, GiB (2^10, 2^20, 2^30), e.g. 5GB");
    }
}
