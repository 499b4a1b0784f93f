package dev.rlhf.core.tokenizer.jinja;

/** A chat template that cannot be rendered: its message names the template's origin and the reason, on one line. */
public final class JinjaException extends RuntimeException {
    public JinjaException(String message) {
        super(message);
    }
}
