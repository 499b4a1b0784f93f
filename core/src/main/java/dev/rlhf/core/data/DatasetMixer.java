package dev.rlhf.core.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * Mixes several datasets into the example order of each epoch.
 *
 * <p>Examples are numbered globally: those of source 0 first, then source 1, and so on. Each source is split once into
 * train and eval ({@link TrainEvalSplit}, seeded by the job seed and the source index). Every epoch draws from each
 * source's training examples the number its sample portion asks for, a different random subset each epoch (seeded by
 * seed, epoch and source); a size larger than the training examples repeats them (every example once before any
 * twice). The drawn examples of all sources are then shuffled together. The same seed and epoch always give the same
 * list.
 */
public final class DatasetMixer {
    private final List<MixSource> sources;
    private final List<TrainEvalSplit> splits = new ArrayList<>();
    private final int[] offsets;
    private final long seed;

    public DatasetMixer(List<MixSource> sources, long seed) {
        this.sources = List.copyOf(sources);
        this.seed = seed;
        this.offsets = new int[sources.size()];
        int offset = 0;
        for (int s = 0; s < sources.size(); s++) {
            MixSource source = sources.get(s);
            offsets[s] = offset;
            offset += source.examples();
            try {
                splits.add(TrainEvalSplit.of(source.examples(), source.eval(), Seeds.derive(seed, Seeds.SPLIT, s)));
            } catch (IllegalArgumentException e) {
                throw new DataException(source.name() + ": " + e.getMessage());
            }
        }
    }

    /** The global indices of the training examples of {@code epoch} (0-based), in training order. */
    public int[] epoch(int epoch) {
        List<int[]> parts = new ArrayList<>();
        int total = 0;
        for (int s = 0; s < sources.size(); s++) {
            int[] drawn = draw(s, epoch);
            parts.add(drawn);
            total += drawn.length;
        }
        int[] order = new int[total];
        int at = 0;
        for (int[] part : parts) {
            System.arraycopy(part, 0, order, at, part.length);
            at += part.length;
        }
        return Seeds.shuffle(order, Seeds.derive(seed, Seeds.ORDER, epoch));
    }

    /** The global indices of the evaluation examples of every source, ascending; the same for every epoch. */
    public int[] eval() {
        return globalIndices(s -> splits.get(s).eval());
    }

    /** The global indices of every training example (before sampling), ascending. */
    public int[] train() {
        return globalIndices(s -> splits.get(s).train());
    }

    /** The split of source {@code s}, in its own row indices. */
    public TrainEvalSplit split(int s) {
        return splits.get(s);
    }

    /** The global index of the first example of source {@code s}. */
    public int offset(int s) {
        return offsets[s];
    }

    /** The sources, in order. */
    public List<MixSource> sources() {
        return sources;
    }

    private int[] draw(int s, int epoch) {
        int[] train = splits.get(s).train();
        Portion sample = sources.get(s).sample();
        // A positive fraction of a small dataset still draws one example rather than none.
        int wanted =
                Math.max(sample.count(train.length), sample instanceof Portion.Fraction f && f.value() > 0 ? 1 : 0);
        if (train.length == 0 || wanted == 0) {
            return new int[0];
        }
        int[] drawn = new int[wanted];
        for (int round = 0, at = 0; at < wanted; round++) {
            int[] pass = Seeds.shuffle(train.clone(), Seeds.derive(seed, Seeds.SAMPLE, epoch, s, round));
            int n = Math.min(pass.length, wanted - at);
            for (int i = 0; i < n; i++) {
                drawn[at + i] = offsets[s] + pass[i];
            }
            at += n;
        }
        return drawn;
    }

    private int[] globalIndices(IntFunction<int[]> local) {
        return IntStream.range(0, sources.size())
                .flatMap(s -> Arrays.stream(local.apply(s)).map(i -> offsets[s] + i))
                .toArray();
    }
}
