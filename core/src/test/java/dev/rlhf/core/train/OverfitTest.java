package dev.rlhf.core.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.TestModels;
import org.junit.jupiter.api.Test;

/** The model and the loss can learn: a tiny model memorises one batch. */
class OverfitTest {

    @Test
    void tinyModelOverfitsOneBatch() {
        try (LanguageModel lm = LanguageModel.create(TestModels.tiny(64, 4, 2, false), 7);
                Trainer trainer = lm.djlModel()
                        .newTrainer(new DefaultTrainingConfig(new NextTokenLoss())
                                .optOptimizer(Optimizer.adamW()
                                        .optLearningRateTracker(Tracker.fixed(3e-3f))
                                        .optWeightDecays(0f)
                                        .build()));
                NDManager m = lm.manager().newSubManager()) {
            NDArray ids = m.randomInteger(2, 64, new Shape(4, 32), DataType.INT64);
            NDArray mask = m.ones(new Shape(4, 32), DataType.INT64);
            float first = Float.NaN;
            float last = Float.NaN;
            for (int step = 0; step < 300; step++) {
                try (GradientCollector gc = trainer.newGradientCollector()) {
                    NDArray logits = trainer.forward(new NDList(ids, mask)).singletonOrThrow();
                    NDArray loss = trainer.getLoss().evaluate(new NDList(ids, mask), new NDList(logits));
                    gc.backward(loss);
                    last = loss.getFloat();
                    first = step == 0 ? last : first;
                }
                trainer.step();
            }
            assertTrue(last < 0.1f * first, "loss " + first + " -> " + last + " must fall by more than 90%");
        }
    }
}
