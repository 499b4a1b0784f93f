package dev.rlhf.core.data;

import dev.rlhf.core.tokenizer.MaskedTokens;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Synthetic examples for batching tests: ids encode (example, position) so any mix-up shows. */
final class Examples {
    private Examples() {}

    /** {@code count} examples of random lengths in [1, maxLength], with random loss masks. */
    static List<MaskedTokens> random(int count, int maxLength, long seed) {
        Random random = new Random(seed);
        List<MaskedTokens> examples = new ArrayList<>();
        for (int e = 0; e < count; e++) {
            int length = 1 + random.nextInt(maxLength);
            long[] ids = new long[length];
            boolean[] mask = new boolean[length];
            for (int t = 0; t < length; t++) {
                ids[t] = 1000L * (e + 1) + t;
                mask[t] = random.nextBoolean();
            }
            examples.add(new MaskedTokens(ids, mask));
        }
        return examples;
    }
}
