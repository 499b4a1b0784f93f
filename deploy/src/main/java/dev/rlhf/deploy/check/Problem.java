package dev.rlhf.deploy.check;

/**
 * Something in a rendered overlay that would break a cluster.
 *
 * @param check the check that found it (its class's simple name)
 * @param message where (files, {@code Kind/name}, container) and what, in one line
 */
public record Problem(String check, String message) {

    @Override
    public String toString() {
        return "[" + check + "] " + message;
    }
}
