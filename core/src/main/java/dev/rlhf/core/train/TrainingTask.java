package dev.rlhf.core.train;

import ai.djl.nn.Parameter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/**
 * What a trainer trains, as the {@link TrainingLoop} sees it: the parameters, the loss of a micro-batch, the held-out
 * metrics, and how the model is written. SFT (next-token loss) and reward modelling (Bradley-Terry) implement it;
 * the loop, optimizer, schedule, checkpoints and resume are shared.
 *
 * @param <B> the batch type
 */
public interface TrainingTask<B> {

    /**
     * The result of one micro-batch: its mean loss, how many tokens it covered (for tokens/s), and any other
     * per-batch means (a reward model's pairwise accuracy), which the loop averages into each metrics line.
     */
    record MicroStep(double loss, long count, Map<String, Double> extra) {
        public MicroStep(double loss, long count) {
            this(loss, count, Map.of());
        }
    }

    /** Every trained parameter under its Hugging Face name. */
    Map<String, Parameter> parameters();

    /** Forward and backward over one micro-batch, the loss scaled by {@code scale} before backward. */
    MicroStep backward(B batch, float scale);

    /** Held-out metrics, without gradients; must contain {@link #selectionMetric()}. */
    Map<String, Double> evaluate(Iterator<B> batches);

    /** The eval metric that decides {@code checkpoints/best}, e.g. {@code eval_loss}. */
    String selectionMetric();

    /** True when a higher selection metric is better (accuracy), false when lower is (loss). */
    boolean higherIsBetter();

    /** Writes the model files (HF layout) into an existing, empty directory. */
    void writeModel(Path dir) throws IOException;

    /** Called after each evaluation, e.g. to write sample generations; does nothing by default. */
    default void afterEvaluation(long step) throws IOException {}
}
