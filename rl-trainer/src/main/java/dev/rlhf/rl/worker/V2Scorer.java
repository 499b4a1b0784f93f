package dev.rlhf.rl.worker;

import dev.rlhf.core.rollout.Scorer;
import dev.rlhf.proto.client.InferenceClient;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link Scorer} over the KServe v2 protocol: the exported reference ({@code logprobs} [B, S-1]) and reward
 * ({@code rewards} [B]) models on a gateway or a Triton server. Requests are right-padded and cut into batches of the
 * model's {@code max_batch_size}; deadlines and retries are the client's.
 */
public final class V2Scorer implements Scorer {

    private final InferenceClient client;
    private final Optional<String> referenceModel;
    private final Optional<String> rewardModel;
    private final int referenceBatch;
    private final int rewardBatch;

    /**
     * @param referenceModel the reference's v2 name; empty for a LoRA policy whose reference is its own base with the
     *     adapters off ({@code AdapterOffReference})
     * @param rewardModel the reward model's v2 name; empty for a job whose rewards are all rules
     */
    public V2Scorer(InferenceClient client, Optional<String> referenceModel, Optional<String> rewardModel) {
        this.client = client;
        this.referenceModel = referenceModel;
        this.rewardModel = rewardModel;
        this.referenceBatch = referenceModel.map(name -> maxBatch(client, name)).orElse(0);
        this.rewardBatch = rewardModel.map(name -> maxBatch(client, name)).orElse(0);
    }

    private static int maxBatch(InferenceClient client, String model) {
        int max = client.modelConfig(model).getMaxBatchSize();
        return max > 0 ? max : Integer.MAX_VALUE;
    }

    @Override
    public List<float[]> referenceLogprobs(List<long[]> sequences) {
        String model = referenceModel.orElseThrow(
                () -> new IllegalStateException("this scorer serves rewards only; no reference model was named"));
        List<float[]> out = new ArrayList<>();
        for (List<long[]> chunk : chunks(sequences, referenceBatch)) {
            float[][] rows = client.inferInt64(model, inputs(chunk), "logprobs");
            for (int i = 0; i < chunk.size(); i++) {
                out.add(Arrays.copyOf(rows[i], chunk.get(i).length - 1));
            }
        }
        return out;
    }

    @Override
    public float[] rewards(List<long[]> sequences) {
        String model = rewardModel.orElseThrow(
                () -> new IllegalStateException("this job scores with rules only; it has no reward model"));
        float[] out = new float[sequences.size()];
        int at = 0;
        for (List<long[]> chunk : chunks(sequences, rewardBatch)) {
            float[][] rows = client.inferInt64(model, inputs(chunk), "rewards");
            for (float[] row : rows) {
                out[at++] = row[0];
            }
        }
        return out;
    }

    /** input_ids and attention_mask, right-padded with id 0. */
    private static Map<String, long[][]> inputs(List<long[]> sequences) {
        int length = sequences.stream().mapToInt(s -> s.length).max().orElse(0);
        long[][] ids = new long[sequences.size()][length];
        long[][] mask = new long[sequences.size()][length];
        for (int i = 0; i < sequences.size(); i++) {
            System.arraycopy(sequences.get(i), 0, ids[i], 0, sequences.get(i).length);
            Arrays.fill(mask[i], 0, sequences.get(i).length, 1);
        }
        return Map.of("input_ids", ids, "attention_mask", mask);
    }

    private static List<List<long[]>> chunks(List<long[]> all, int size) {
        List<List<long[]>> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i += size) {
            out.add(all.subList(i, Math.min(all.size(), i + size)));
        }
        return out;
    }
}
