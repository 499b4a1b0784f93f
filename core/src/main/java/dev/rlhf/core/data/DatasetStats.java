package dev.rlhf.core.data;

import java.util.ArrayList;
import java.util.List;

/**
 * What a job's data amounts to, per dataset and split: rows read, lines skipped, and examples and tokens for training
 * and evaluation (training counts cover the whole training split, before per-epoch sampling).
 */
public record DatasetStats(List<Entry> datasets) {
    private static final String[] HEADER = {
        "dataset", "format", "rows", "skipped", "truncated", "train ex", "train tokens", "eval ex", "eval tokens"
    };

    public DatasetStats {
        datasets = List.copyOf(datasets);
    }

    /**
     * One dataset's numbers.
     *
     * @param rows rows read from the file (documents in pretraining)
     * @param skippedLines bad lines skipped
     * @param truncated examples cut to seq_len
     * @param trainExamples examples in the training split (blocks in pretraining)
     */
    public record Entry(
            String name,
            String format,
            int rows,
            int skippedLines,
            int truncated,
            int trainExamples,
            long trainTokens,
            int evalExamples,
            long evalTokens) {}

    /** The sums over all datasets. */
    public Entry total() {
        return new Entry(
                "total",
                "",
                datasets.stream().mapToInt(Entry::rows).sum(),
                datasets.stream().mapToInt(Entry::skippedLines).sum(),
                datasets.stream().mapToInt(Entry::truncated).sum(),
                datasets.stream().mapToInt(Entry::trainExamples).sum(),
                datasets.stream().mapToLong(Entry::trainTokens).sum(),
                datasets.stream().mapToInt(Entry::evalExamples).sum(),
                datasets.stream().mapToLong(Entry::evalTokens).sum());
    }

    /** A plain-text table, one line per dataset and a total line, columns aligned. */
    public String table() {
        List<String[]> lines = new ArrayList<>();
        lines.add(HEADER);
        datasets.forEach(entry -> lines.add(cells(entry)));
        lines.add(cells(total()));
        int[] widths = new int[HEADER.length];
        for (String[] line : lines) {
            for (int c = 0; c < line.length; c++) {
                widths[c] = Math.max(widths[c], line[c].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] line : lines) {
            for (int c = 0; c < line.length; c++) {
                String format = c < 2 ? "%-" + widths[c] + "s" : "%" + widths[c] + "s";
                out.append(c == 0 ? "" : "  ").append(String.format(format, line[c]));
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String[] cells(Entry e) {
        return new String[] {
            e.name(),
            e.format(),
            Integer.toString(e.rows()),
            Integer.toString(e.skippedLines()),
            Integer.toString(e.truncated()),
            Integer.toString(e.trainExamples()),
            Long.toString(e.trainTokens()),
            Integer.toString(e.evalExamples()),
            Long.toString(e.evalTokens())
        };
    }
}
