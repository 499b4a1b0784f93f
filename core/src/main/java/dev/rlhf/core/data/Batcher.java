package dev.rlhf.core.data;

import java.util.Iterator;

/**
 * Cuts an epoch's examples into batches, in the epoch's order. The batches of an epoch depend only on the example
 * order (hence on seed and epoch), so a resumed job asks for {@code batches(epoch, step)} and continues exactly where
 * it stopped. A step here is one batch; gradient accumulation is counted by the trainer.
 *
 * @param <B> the batch type
 */
public sealed interface Batcher<B extends TokenBatch> permits PaddedBatcher, PackedBatcher {
    /** The number of batches in {@code epoch}. */
    int steps(int epoch);

    /** The batches of {@code epoch} from batch {@code fromStep} on, built lazily one at a time. */
    Iterator<B> batches(int epoch, int fromStep);

    /** All batches of {@code epoch}. */
    default Iterator<B> batches(int epoch) {
        return batches(epoch, 0);
    }
}
