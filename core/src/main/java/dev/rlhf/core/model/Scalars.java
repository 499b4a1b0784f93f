package dev.rlhf.core.model;

import ai.djl.ndarray.NDArray;

/**
 * Scalar operands that live as long as the graph that uses them.
 *
 * <p>DJL 0.33's {@code NDArray.mul(Number)} (and {@code div}, {@code pow}, {@code maximum}, ...) wraps the number in a
 * temporary array whose memory is a Java direct buffer (PyTorch's {@code from_blob}, no copy) and closes it right after
 * the op. When autograd keeps that operand for backward, as it does for mul, div, pow and maximum, backward reads the
 * scalar after its buffer may have been freed by the garbage collector: gradients come out as garbage or NaN, now and
 * then, depending on GC timing. Under gradient recording, use a scalar from here instead: it belongs to the operand's
 * manager and stays open until that manager closes, after backward.
 */
public final class Scalars {
    private Scalars() {}

    /** {@code value} as a 0-d array of {@code array}'s type, in {@code array}'s manager. */
    public static NDArray like(NDArray array, float value) {
        return array.getManager().create(value).toType(array.getDataType(), false);
    }
}
