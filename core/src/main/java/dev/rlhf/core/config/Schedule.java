package dev.rlhf.core.config;

/** The learning-rate curve after the linear warm-up. */
public enum Schedule {
    /** Half a cosine from {@code lr} down to {@code lr * min_lr_ratio}. */
    COSINE,
    /** A straight line from {@code lr} down to {@code lr * min_lr_ratio}. */
    LINEAR,
    /** {@code lr} throughout. */
    CONSTANT
}
