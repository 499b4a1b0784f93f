package dev.rlhf.rl.worker;

import dev.rlhf.core.checkpoint.HfCheckpoint;
import dev.rlhf.core.model.LanguageModel;
import java.nio.file.Path;
import java.util.Optional;

/** Each version a whole HF checkpoint, loaded fresh; the previous model is closed once the new one is in. */
public final class FullPolicy implements WorkerPolicy {

    private LanguageModel model;

    @Override
    public Optional<LanguageModel> model() {
        return Optional.ofNullable(model);
    }

    @Override
    public void load(Path dir) {
        LanguageModel next = HfCheckpoint.load(dir);
        close();
        model = next;
    }

    @Override
    public void close() {
        if (model != null) {
            model.close();
            model = null;
        }
    }
}
