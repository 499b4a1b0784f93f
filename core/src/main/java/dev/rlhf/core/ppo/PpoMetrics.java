package dev.rlhf.core.ppo;

import ai.djl.ndarray.NDArray;
import java.nio.LongBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Batch statistics of the responses themselves, to spot collapse (every prompt answered the same way) and length
 * hacking (responses growing or shrinking to please the reward model).
 *
 * <pre>
 *   distinctResponseRatio = |{distinct token sequences}| / B
 *   meanResponseLength    = (1 / B) * sum_b L_b
 * </pre>
 */
public final class PpoMetrics {

    private PpoMetrics() {}

    /** Distinct token sequences over B responses, in (0, 1]; 0 for an empty batch. */
    public static double distinctResponseRatio(List<long[]> responses) {
        if (responses.isEmpty()) {
            return 0;
        }
        Set<LongBuffer> distinct = new HashSet<>(); // LongBuffer compares by content
        for (long[] response : responses) {
            distinct.add(LongBuffer.wrap(response));
        }
        return (double) distinct.size() / responses.size();
    }

    /** Mean number of tokens per response; 0 for an empty batch. */
    public static double meanResponseLength(List<long[]> responses) {
        return responses.stream().mapToInt(r -> r.length).average().orElse(0);
    }

    /** Mean number of real tokens per row of a response mask (B, T). */
    public static double meanResponseLength(NDArray mask) {
        long rows = mask.getShape().get(0);
        return rows == 0 ? 0 : Masked.count(mask) / rows;
    }
}
