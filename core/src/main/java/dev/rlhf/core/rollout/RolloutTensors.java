package dev.rlhf.core.rollout;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.List;

/**
 * A batch of rollouts laid out for one forward pass: prompts left-padded to P tokens, responses right-padded to T, so
 * that every response starts at column P. Dimensions: B rollouts, S = P + T columns.
 *
 * <pre>
 *   ids      (B, S)   [pad .. pad prompt | response pad .. pad]
 *   mask     (B, S)   1 on prompt and response tokens
 *   response (B, T)   1 on real response tokens
 * </pre>
 *
 * The log-prob of response token j is predicted at column P + j - 1, so {@link #responseSlice} takes the (B, S-1)
 * next-token log-probs (or the (B, S) values, from column P - 1) at columns [P-1, P-1+T).
 */
public record RolloutTensors(NDArray ids, NDArray mask, NDArray responseMask, int promptLength, int responseLength) {

    public static RolloutTensors of(NDManager m, List<Rollout> rollouts) {
        int p = rollouts.stream().mapToInt(r -> r.promptIds().length).max().orElseThrow();
        int t = rollouts.stream().mapToInt(Rollout::responseLength).max().orElseThrow();
        int b = rollouts.size();
        long[][] ids = new long[b][p + t];
        long[][] mask = new long[b][p + t];
        float[][] response = new float[b][t];
        for (int i = 0; i < b; i++) {
            Rollout r = rollouts.get(i);
            int offset = p - r.promptIds().length;
            for (int j = 0; j < r.promptIds().length; j++) {
                ids[i][offset + j] = r.promptIds()[j];
                mask[i][offset + j] = 1;
            }
            for (int j = 0; j < r.responseLength(); j++) {
                ids[i][p + j] = r.responseIds()[j];
                mask[i][p + j] = 1;
                response[i][j] = 1;
            }
        }
        return new RolloutTensors(m.create(ids), m.create(mask), m.create(response), p, t);
    }

    /** The response tokens' ids (B, T): columns [P, P+T) of the ids. */
    public NDArray responseIds() {
        return ids.get(new NDIndex(":, {}:{}", promptLength, promptLength + responseLength));
    }

    /** Columns [P-1, P-1+T) of a (B, S-1) or (B, S) array: the entries that belong to response tokens. */
    public NDArray responseSlice(NDArray perColumn) {
        return perColumn.get(new NDIndex(":, {}:{}", promptLength - 1, promptLength - 1 + responseLength));
    }

    /** A per-response-token array (B, T) from host arrays of each rollout's own length, zero-padded. */
    public static NDArray padded(NDManager m, List<float[]> rows, int length) {
        float[][] out = new float[rows.size()][length];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, out[i], 0, rows.get(i).length);
        }
        return m.create(out);
    }
}
