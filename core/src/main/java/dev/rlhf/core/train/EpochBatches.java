package dev.rlhf.core.train;

import java.util.Iterator;
import java.util.function.BiFunction;
import java.util.function.IntUnaryOperator;

/**
 * The training batches of each epoch, in a fixed order for a given seed and epoch, so that a resumed run can ask for
 * the rest of an epoch and see exactly the batches the original run would have.
 */
public interface EpochBatches<B> {

    /** How many batches epoch {@code epoch} has. */
    int count(int epoch);

    /** The batches of {@code epoch} from batch {@code from} on. */
    Iterator<B> from(int epoch, int from);

    /** The batches that {@code count} and {@code from} give, e.g. {@code EpochBatches.of(b::steps, b::batches)}. */
    static <B> EpochBatches<B> of(IntUnaryOperator count, BiFunction<Integer, Integer, Iterator<B>> from) {
        return new EpochBatches<>() {
            @Override
            public int count(int epoch) {
                return count.applyAsInt(epoch);
            }

            @Override
            public Iterator<B> from(int epoch, int start) {
                return from.apply(epoch, start);
            }
        };
    }
}
