package dev.rlhf.core.train;

import java.util.Iterator;

/**
 * The training batches of each epoch, in a fixed order for a given seed and epoch, so that a resumed run can ask for
 * the rest of an epoch and see exactly the batches the original run would have.
 */
public interface EpochBatches<B> {

    /** How many batches epoch {@code epoch} has. */
    int count(int epoch);

    /** The batches of {@code epoch} from batch {@code from} on. */
    Iterator<B> from(int epoch, int from);
}
