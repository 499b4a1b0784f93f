package dev.rlhf.core.config;

import dev.rlhf.core.checkpoint.SafetensorsDtype;

/** The element type of saved weights ({@code save.dtype}). */
public enum SaveDtype {
    /** float32, as trained. */
    F32(SafetensorsDtype.F32),
    /** bfloat16, rounded to nearest even: half the size; {@code config.json}'s {@code torch_dtype} says so. */
    BF16(SafetensorsDtype.BF16);

    private final SafetensorsDtype safetensors;

    SaveDtype(SafetensorsDtype safetensors) {
        this.safetensors = safetensors;
    }

    public SafetensorsDtype safetensors() {
        return safetensors;
    }
}
