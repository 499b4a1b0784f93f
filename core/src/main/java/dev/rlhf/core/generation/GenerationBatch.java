package dev.rlhf.core.generation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The host-side state of a batch being decoded: left-padded token rows, their padding mask, which rows are finished
 * and why. Dimensions: B rows, S tokens per row so far (padding + prompt + generated).
 */
final class GenerationBatch {

    private final long pad;
    private final int promptLength;
    private final List<long[]> rows = new ArrayList<>();
    private final List<long[]> masks = new ArrayList<>();
    private final int[] generated;
    private final Generation.FinishReason[] finish;

    GenerationBatch(List<long[]> prompts, long pad) {
        this.pad = pad;
        this.promptLength = prompts.stream().mapToInt(p -> p.length).max().orElse(0);
        if (prompts.stream().anyMatch(p -> p.length == 0)) {
            throw new IllegalArgumentException("every prompt needs at least one token");
        }
        for (long[] prompt : prompts) {
            long[] row = new long[promptLength];
            long[] mask = new long[promptLength];
            int offset = promptLength - prompt.length;
            Arrays.fill(row, 0, offset, pad);
            System.arraycopy(prompt, 0, row, offset, prompt.length);
            Arrays.fill(mask, offset, promptLength, 1);
            rows.add(row);
            masks.add(mask);
        }
        this.generated = new int[prompts.size()];
        this.finish = new Generation.FinishReason[prompts.size()];
    }

    int size() {
        return rows.size();
    }

    int promptLength() {
        return promptLength;
    }

    boolean finished(int row) {
        return finish[row] != null;
    }

    /** Tokens generated so far in {@code row}. */
    int generated(int row) {
        return generated[row];
    }

    /** Why {@code row} ended; null while it goes on. */
    Generation.FinishReason finishReason(int row) {
        return finish[row];
    }

    boolean allFinished() {
        return Arrays.stream(finish).allMatch(f -> f != null);
    }

    /** Appends one token per row; finished rows get padding, masked out. {@code configs[r]} decides when row r ends. */
    void append(long[] next, SamplingConfig[] configs, Function<long[], String> detokenizer) {
        for (int r = 0; r < rows.size(); r++) {
            boolean live = !finished(r);
            rows.set(r, grow(rows.get(r), live ? next[r] : pad));
            masks.set(r, grow(masks.get(r), live ? 1 : 0));
            if (live) {
                generated[r]++;
                finish[r] = finishReason(r, next[r], configs[r], detokenizer);
            }
        }
    }

    private Generation.FinishReason finishReason(
            int row, long token, SamplingConfig config, Function<long[], String> detokenizer) {
        if (config.stopTokenIds().contains(token)) {
            return Generation.FinishReason.STOP_TOKEN;
        }
        if (!config.stopStrings().isEmpty()) {
            String text = detokenizer.apply(newTokens(row));
            if (config.stopStrings().stream().anyMatch(text::contains)) {
                return Generation.FinishReason.STOP_STRING;
            }
        }
        return generated[row] >= config.maxNewTokens() ? Generation.FinishReason.LENGTH : null;
    }

    private static long[] grow(long[] row, long value) {
        long[] out = Arrays.copyOf(row, row.length + 1);
        out[row.length] = value;
        return out;
    }

    /** All rows as (B, S). */
    long[][] ids() {
        return rows.toArray(new long[0][]);
    }

    /** Padding mask (B, S): 1 on prompt and generated tokens. */
    long[][] mask() {
        return masks.toArray(new long[0][]);
    }

    /** Position of each row's newest token: the count of real tokens before it. */
    long[] lastPositions() {
        long[] positions = new long[rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            positions[r] = Arrays.stream(masks.get(r)).sum() - 1;
        }
        return positions;
    }

    private long[] newTokens(int row) {
        long[] all = rows.get(row);
        return Arrays.stream(Arrays.copyOfRange(all, promptLength, all.length))
                .limit(generated[row])
                .toArray();
    }

    List<Generation> results() {
        List<Generation> out = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            Generation.FinishReason reason = finish[r] == null ? Generation.FinishReason.LENGTH : finish[r];
            out.add(new Generation(newTokens(r), reason));
        }
        return out;
    }
}
