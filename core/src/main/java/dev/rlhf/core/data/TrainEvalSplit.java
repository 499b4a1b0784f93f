package dev.rlhf.core.data;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * A dataset's rows split into training and evaluation, by a seeded shuffle: the same seed gives the same split, and the
 * split does not depend on the epoch, so evaluation rows are never trained on.
 *
 * @param train row indices for training, ascending
 * @param eval row indices held out, ascending
 */
public record TrainEvalSplit(int[] train, int[] eval) {

    /**
     * The split a training job seeded with {@code jobSeed} makes of its dataset number {@code source} (as
     * {@link DatasetMixer} does): an evaluation finds exactly the rows that job held out.
     */
    public static TrainEvalSplit ofJobDataset(int rows, Portion eval, long jobSeed, int source) {
        return of(rows, eval, Seeds.derive(jobSeed, Seeds.SPLIT, source));
    }

    /**
     * Splits {@code rows} rows, holding out {@code eval.count(rows)} of them.
     *
     * @throws IllegalArgumentException when the hold-out leaves no training row
     */
    public static TrainEvalSplit of(int rows, Portion eval, long seed) {
        int held = eval.count(rows);
        if (rows > 0 && held >= rows) {
            throw new IllegalArgumentException(
                    "split " + eval + " holds out " + held + " of " + rows + " rows, leaving none to train on");
        }
        int[] shuffled = Seeds.shuffle(IntStream.range(0, rows).toArray(), seed);
        int[] evalRows = Arrays.copyOfRange(shuffled, 0, held);
        int[] trainRows = Arrays.copyOfRange(shuffled, held, rows);
        Arrays.sort(evalRows);
        Arrays.sort(trainRows);
        return new TrainEvalSplit(trainRows, evalRows);
    }
}
