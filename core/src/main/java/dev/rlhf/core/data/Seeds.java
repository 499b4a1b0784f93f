package dev.rlhf.core.data;

import java.util.Random;

/**
 * Seeds for the independent random choices of data handling (split, per-epoch sampling, order), each derived from the
 * job seed and what it is for, so that changing one (say, the epoch) never shifts another.
 */
final class Seeds {
    static final long SPLIT = 1;
    static final long SAMPLE = 2;
    static final long ORDER = 3;
    static final long STATS = 4;

    private Seeds() {}

    /** A seed for {@code seed} and the given purpose and indices, through the SplitMix64 finaliser. */
    static long derive(long seed, long... parts) {
        long h = mix(seed);
        for (long part : parts) {
            h = mix(h ^ mix(part + 0x9E3779B97F4A7C15L));
        }
        return h;
    }

    /** Shuffles {@code values} in place with Fisher-Yates; java.util.Random keeps it the same on every JVM. */
    static int[] shuffle(int[] values, long seed) {
        Random random = new Random(seed);
        for (int i = values.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = values[i];
            values[i] = values[j];
            values[j] = swap;
        }
        return values;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
