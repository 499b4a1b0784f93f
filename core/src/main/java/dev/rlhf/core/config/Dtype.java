package dev.rlhf.core.config;

/** The precision of the weights during training. */
public enum Dtype {
    /** bf16 on a GPU that supports it, else f32. */
    AUTO,
    F32,
    BF16
}
