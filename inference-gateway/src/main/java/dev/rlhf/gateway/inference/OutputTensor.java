package dev.rlhf.gateway.inference;

import java.util.Arrays;

/**
 * One FP32 output of a model execution.
 *
 * @param shape the dimensions, batch first
 * @param data the elements, row-major
 */
public record OutputTensor(String name, long[] shape, float[] data) {

    /** Elements per row: the product of the dimensions after the batch. */
    public int rowWidth() {
        long width = 1;
        for (int i = 1; i < shape.length; i++) {
            width *= shape[i];
        }
        return Math.toIntExact(width);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof OutputTensor that
                && name.equals(that.name)
                && Arrays.equals(shape, that.shape)
                && Arrays.equals(data, that.data);
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
