package dev.rlhf.deploy.kustomize;

/** A kustomization that cannot be rendered; the message names the file and, where there is one, the resource. */
public class KustomizeException extends RuntimeException {

    public KustomizeException(String message) {
        super(message);
    }

    public KustomizeException(String message, Throwable cause) {
        super(message, cause);
    }
}
