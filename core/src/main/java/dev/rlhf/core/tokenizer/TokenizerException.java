package dev.rlhf.core.tokenizer;

/**
 * A tokenizer could not be trained, written or loaded. The message names the file (or the inputs) and what is wrong
 * with it, so it can be shown to the user as is.
 */
public class TokenizerException extends RuntimeException {
    public TokenizerException(String message) {
        super(message);
    }

    public TokenizerException(String message, Throwable cause) {
        super(message, cause);
    }
}
