package dev.rlhf.gateway.inference;

/** A model directory the gateway cannot serve; the message starts with the file it is about. */
public class ModelLoadException extends RuntimeException {
    public ModelLoadException(String message) {
        super(message);
    }

    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
