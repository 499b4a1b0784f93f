package dev.rlhf.core.tokenizer;

/**
 * A chat template is missing, fails to render, or renders a conversation whose assistant turns cannot be placed. The
 * message names the template's file and the reason, on one line.
 */
public final class ChatTemplateException extends TokenizerException {
    public ChatTemplateException(String message) {
        super(message);
    }
}
