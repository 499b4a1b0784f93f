package dev.rlhf.core.eval;

import dev.rlhf.core.data.PromptRows;
import dev.rlhf.core.data.TrainEvalSplit;
import java.util.ArrayList;
import java.util.List;

/**
 * The held-out prompts of an evaluation ({@link EvalConfig.PromptSet}): the file's prompts, the first {@code skip}
 * rows left out, then the rows a training job with the same split and seed held out (all rows when the split covers
 * them), the first {@code count} of those.
 */
final class EvalPrompts {

    private EvalPrompts() {}

    static List<String> of(EvalConfig.PromptSet set) {
        List<String> all = PromptRows.read(set.path(), set.format());
        if (set.skip() >= all.size()) {
            throw new IllegalArgumentException(
                    "prompts.skip: " + set.skip() + " leaves none of the " + all.size() + " prompts in " + set.path());
        }
        List<String> rows = all.subList(set.skip(), all.size());
        List<String> heldOut = new ArrayList<>();
        if (set.split().count(rows.size()) >= rows.size()) {
            heldOut.addAll(rows);
        } else {
            for (int i : TrainEvalSplit.ofJobDataset(rows.size(), set.split(), set.seed(), 0)
                    .eval()) {
                heldOut.add(rows.get(i));
            }
        }
        if (heldOut.isEmpty()) {
            throw new IllegalArgumentException(
                    "prompts.split: " + set.split() + " holds out no prompt of " + set.path());
        }
        return set.count() == 0 ? heldOut : heldOut.subList(0, Math.min(set.count(), heldOut.size()));
    }
}
