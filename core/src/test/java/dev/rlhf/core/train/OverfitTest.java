package dev.rlhf.core.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.TestModels;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The model, the loss and the optimizer can learn: a tiny model memorises one batch. */
class OverfitTest {

    @Test
    void tinyModelOverfitsOneBatch() {
        try (LanguageModel lm = LanguageModel.create(TestModels.tiny(64, 4, 2, false), 7);
                AdamW adam = new AdamW(new AdamW.Settings(0.9f, 0.99f, 1e-8f, 0f), lm.manager());
                NDManager data = lm.manager().newSubManager()) {
            NDArray ids = data.randomInteger(2, 64, new Shape(4, 32), DataType.INT64);
            NDArray mask = data.ones(new Shape(4, 32), DataType.INT64);
            Map<String, Parameter> parameters = lm.block().hfParameters();
            NextTokenLoss loss = new NextTokenLoss();
            float first = Float.NaN;
            float last = Float.NaN;
            for (int step = 0; step < 300; step++) {
                try (NDManager m = data.newSubManager()) {
                    NDList batch = new NDList(ids, mask);
                    m.tempAttachAll(batch);
                    last = TrainStep.backward(lm.block(), batch, batch, loss, 1f);
                    first = step == 0 ? last : first;
                    adam.update(parameters, 3e-3f);
                }
            }
            assertTrue(last < 0.1f * first, "loss " + first + " -> " + last + " must fall by more than 90%");
        }
    }
}
