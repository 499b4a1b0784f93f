package dev.rlhf.core.rollout;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.rlhf.core.lora.LoraModel;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.LogProbs;
import dev.rlhf.core.model.NoGrad;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A {@link Scorer} whose reference is the LoRA policy's own base: the same weights with every adapter turned off
 * ({@link LoraModel#disabled()}), so PPO's frozen reference costs no second copy of the model. Rewards come from
 * another scorer (the reward model over KServe v2).
 *
 * <p>Not thread-safe: the adapters are switched off on the model itself, so the model's owner (one rollout worker)
 * calls it between its own generations.
 */
public final class AdapterOffReference implements Scorer {

    private final LanguageModel model;
    private final LoraModel lora;
    private final Scorer rewards;

    public AdapterOffReference(LanguageModel model, LoraModel lora, Scorer rewards) {
        this.model = model;
        this.lora = lora;
        this.rewards = rewards;
    }

    /** One batch, right-padded (logits do not depend on padding): row i keeps its L_i - 1 next-token log-probs. */
    @Override
    public List<float[]> referenceLogprobs(List<long[]> sequences) {
        int length = sequences.stream().mapToInt(s -> s.length).max().orElse(0);
        long[][] ids = new long[sequences.size()][length];
        long[][] mask = new long[sequences.size()][length];
        for (int i = 0; i < ids.length; i++) {
            System.arraycopy(sequences.get(i), 0, ids[i], 0, sequences.get(i).length);
            Arrays.fill(mask[i], 0, sequences.get(i).length, 1);
        }
        try (NoGrad noGrad = NoGrad.open();
                LoraModel.Disabled off = lora.disabled();
                NDManager m = model.manager().newSubManager()) {
            NDArray idArray = m.create(ids); // (B, S)
            NDList inputs = new NDList(idArray, m.create(mask));
            float[] flat = LogProbs.ofNextTokens(model.block(), model.inferenceStore(), inputs, false)
                    .toFloatArray(); // (B, S-1) row-major
            List<float[]> out = new ArrayList<>();
            for (int i = 0; i < ids.length; i++) {
                int from = i * (length - 1);
                out.add(Arrays.copyOfRange(flat, from, from + sequences.get(i).length - 1));
            }
            return out;
        }
    }

    @Override
    public float[] rewards(List<long[]> sequences) {
        return rewards.rewards(sequences);
    }
}
