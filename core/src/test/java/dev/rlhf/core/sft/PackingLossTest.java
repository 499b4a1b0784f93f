package dev.rlhf.core.sft;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.rlhf.core.data.Batch;
import dev.rlhf.core.data.PackedBatch;
import dev.rlhf.core.data.PackedBatcher;
import dev.rlhf.core.data.PaddedBatcher;
import dev.rlhf.core.data.TokenBatch;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.LogProbs;
import dev.rlhf.core.model.TestModels;
import dev.rlhf.core.tokenizer.MaskedTokens;
import java.util.List;
import org.junit.jupiter.api.Test;

/** For the same weights, packing several examples into one row changes no example's loss. */
class PackingLossTest {

    private static MaskedTokens example(long start, int length, int promptLength) {
        long[] ids = new long[length];
        boolean[] loss = new boolean[length];
        for (int i = 0; i < length; i++) {
            ids[i] = 2 + (start + 7L * i) % 50;
            loss[i] = i >= promptLength;
        }
        return new MaskedTokens(ids, loss);
    }

    /** Sum over masked targets of -log p, per row (B). */
    private static float[] nll(LanguageModel lm, NDManager m, TokenBatch batch) {
        NDList inputs = SftTask.inputs(m, batch);
        NDArray ids = inputs.get(0);
        NDArray logits = lm.block().forward(lm.inferenceStore(), inputs, false).singletonOrThrow();
        NDArray mask = m.create(batch.lossMask()).get(":, 1:").toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
        return LogProbs.ofNextTokens(logits, ids)
                .mul(mask)
                .sum(new int[] {1})
                .neg()
                .toFloatArray();
    }

    @Test
    void packedAndUnpackedExamplesHaveTheSameLoss() {
        List<MaskedTokens> examples = List.of(example(1, 9, 3), example(5, 14, 6), example(11, 6, 2));
        try (LanguageModel lm = LanguageModel.create(TestModels.qwen2(60), 9);
                NDManager m = lm.manager().newSubManager()) {
            PackedBatcher packer = new PackedBatcher(examples, epoch -> new int[] {0, 1, 2}, 1, 32, 0);
            PackedBatch packed = packer.batches(0).next();
            assertEquals(1, packed.rows(), "all three fit one row of 32");
            float packedTotal = nll(lm, m, packed)[0];

            float separate = 0;
            PaddedBatcher padder = new PaddedBatcher(examples, epoch -> new int[] {0, 1, 2}, 3, 0);
            Batch padded = padder.batches(0).next();
            for (float row : nll(lm, m, padded)) {
                separate += row;
            }
            assertEquals(separate, packedTotal, 1e-3f);
        }
    }
}
