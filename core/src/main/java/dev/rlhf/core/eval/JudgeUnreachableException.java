package dev.rlhf.core.eval;

/**
 * The LLM judge gave no answer after its retries (refused connection, timeout, 429 / 5xx) or refused the request
 * (another 4xx); the message names the URL. A bad-input error: the fix is {@code judges.llm.*} or the judge server.
 */
public final class JudgeUnreachableException extends IllegalArgumentException {

    public JudgeUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
