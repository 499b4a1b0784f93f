package dev.rlhf.core.model;

/** A {@code config.json} that does not describe a model we can build; the message names the file and field. */
public class ModelConfigException extends IllegalArgumentException {
    public ModelConfigException(String message) {
        super(message);
    }
}
