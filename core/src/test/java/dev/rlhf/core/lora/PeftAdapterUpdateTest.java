package dev.rlhf.core.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.rlhf.core.checkpoint.CheckpointException;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.TestModels;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rollout worker's policy version: an adapter copied into the adapters already attached to its base computes what
 * the same adapter loaded fresh computes; one of other settings is refused, naming the file, and changes nothing.
 */
class PeftAdapterUpdateTest {

    @TempDir
    Path tmp;

    @Test
    void anAdapterCopiedInPlaceEqualsOneLoadedFresh() {
        Path saved = tmp.resolve("v1");
        Path other = tmp.resolve("other");
        float[] expected;
        try (LanguageModel trained = LanguageModel.create(TestModels.tiny(40, 4, 2, false), 1);
                NDManager m = trained.manager().newSubManager()) {
            LoraModel lora = LoraModel.attach(trained, LoraSettings.of(4, 8), 3);
            LoraFixtures.randomize(lora.trainableParameters(), m);
            PeftAdapter.save(lora, saved, "base");
            expected = LoraFixtures.logits(trained, m);
        }
        try (LanguageModel otherBase = LanguageModel.create(TestModels.tiny(40, 4, 2, false), 1)) {
            PeftAdapter.save(LoraModel.attach(otherBase, LoraSettings.of(2, 8), 3), other, "base");
        }
        try (LanguageModel worker = LanguageModel.create(TestModels.tiny(40, 4, 2, false), 1);
                NDManager m = worker.manager().newSubManager()) {
            LoraModel attached = LoraModel.attach(worker, LoraSettings.of(4, 8), 0);
            PeftAdapter.update(attached, saved);
            assertArrayEquals(expected, LoraFixtures.logits(worker, m));

            CheckpointException e = assertThrows(CheckpointException.class, () -> PeftAdapter.update(attached, other));
            assertTrue(e.getMessage().contains(other.resolve(AdapterConfig.FILE).toString()), e.getMessage());
            assertArrayEquals(expected, LoraFixtures.logits(worker, m), "a refused version changes nothing");
        }
    }
}
