package dev.rlhf.core.export;

import java.util.Arrays;

/** Id and mask batches with padding on either side, and the real positions to compare. */
final class Batches {

    private Batches() {}

    /** One unpadded row of T ids. */
    static long[][] single(int length, int vocab, int seed) {
        long[][] ids = new long[1][length];
        for (int t = 0; t < length; t++) {
            ids[0][t] = 2 + (seed + 7L * t * t + 3L * t) % (vocab - 2);
        }
        return ids;
    }

    /**
     * Five rows of T = 9 positions: full; left-padded by 3; right-padded by 4; left-padded by 7; right-padded by 8 (a
     * single real token, so no log-prob of it is comparable).
     */
    static long[][] mixedMask() {
        int[][] spans = {{0, 9}, {3, 9}, {0, 5}, {7, 9}, {0, 1}}; // [first real, end)
        long[][] mask = new long[spans.length][9];
        for (int b = 0; b < spans.length; b++) {
            for (int t = spans[b][0]; t < spans[b][1]; t++) {
                mask[b][t] = 1;
            }
        }
        return mask;
    }

    /** Ids for a mask, with pad id 0 where the mask is 0. */
    static long[][] idsFor(long[][] mask, int vocab, int seed) {
        long[][] ids = new long[mask.length][mask[0].length];
        for (int b = 0; b < mask.length; b++) {
            long[] row = single(mask[b].length, vocab, seed + 11 * b)[0];
            for (int t = 0; t < row.length; t++) {
                ids[b][t] = mask[b][t] == 1 ? row[t] : 0;
            }
        }
        return ids;
    }

    /** Ones (B, T). */
    static long[][] ones(int batch, int length) {
        long[][] mask = new long[batch][length];
        for (long[] row : mask) {
            Arrays.fill(row, 1);
        }
        return mask;
    }

    /** Whether log-prob i (of token i+1 given tokens 0..i) has a real target and a real last context token. */
    static boolean comparable(long[][] mask, int b, int i) {
        return mask[b][i] == 1 && mask[b][i + 1] == 1;
    }

    /** The index of the last real token of row b. */
    static int lastReal(long[][] mask, int b) {
        for (int t = mask[b].length - 1; t >= 0; t--) {
            if (mask[b][t] == 1) {
                return t;
            }
        }
        throw new IllegalArgumentException("row " + b + " has no real token");
    }

    static int[][] toInt(long[][] values) {
        int[][] out = new int[values.length][];
        for (int b = 0; b < values.length; b++) {
            out[b] = Arrays.stream(values[b]).mapToInt(Math::toIntExact).toArray();
        }
        return out;
    }
}
