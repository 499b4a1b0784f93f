package dev.rlhf.core.data;

/**
 * One dataset of a mix, by its number of examples.
 *
 * @param name for messages and stats
 * @param examples how many examples it has (rows in SFT, blocks in pretraining)
 * @param sample how many training examples to draw from it each epoch
 * @param eval how many examples to hold out for evaluation
 */
public record MixSource(String name, int examples, Portion sample, Portion eval) {
    public MixSource {
        if (examples < 0) {
            throw new IllegalArgumentException(name + ": negative example count " + examples);
        }
    }
}
