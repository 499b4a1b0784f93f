package dev.rlhf.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;

/** One optimisation step: forward, the trainer's loss, backward, optimizer update. */
public final class TrainStep {

    private TrainStep() {}

    /**
     * @param inputs what the model block takes, e.g. (ids, padding mask)
     * @param labels what the trainer's loss takes, e.g. (ids, loss mask)
     * @return the loss before the update
     */
    public static float run(Trainer trainer, NDList inputs, NDList labels) {
        float loss;
        try (GradientCollector gc = trainer.newGradientCollector()) {
            NDList predictions = trainer.forward(inputs);
            NDArray value = trainer.getLoss().evaluate(labels, predictions);
            gc.backward(value);
            loss = value.getFloat();
        }
        trainer.step();
        return loss;
    }
}
