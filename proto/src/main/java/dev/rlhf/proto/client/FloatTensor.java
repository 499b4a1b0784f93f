package dev.rlhf.proto.client;

import java.util.Arrays;

/**
 * A dense FP32 tensor as an inference response returns it: the elements in row-major order and the shape.
 *
 * @param shape the dimensions, batch first; empty for a scalar
 * @param data the elements, {@code product(shape)} of them
 */
public record FloatTensor(long[] shape, float[] data) {

    public FloatTensor {
        long count = elementCount(shape);
        if (count != data.length) {
            throw new IllegalArgumentException(
                    "shape " + Arrays.toString(shape) + " needs " + count + " elements, got " + data.length);
        }
    }

    /** {@code product(shape)}; 1 for a scalar. Negative dimensions are rejected. */
    public static long elementCount(long[] shape) {
        long count = 1;
        for (long dim : shape) {
            if (dim < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            count = Math.multiplyExact(count, dim);
        }
        return count;
    }

    /**
     * The tensor as rows: {@code shape[0]} rows of {@code product(shape[1:])} elements each. A rank-1 tensor of B
     * elements gives B rows of one element; a scalar gives one row of one element.
     */
    public float[][] toRows() {
        int rows = shape.length == 0 ? 1 : Math.toIntExact(shape[0]);
        int width = rows == 0 ? 0 : data.length / rows;
        float[][] out = new float[rows][];
        for (int r = 0; r < rows; r++) {
            out[r] = Arrays.copyOfRange(data, r * width, (r + 1) * width);
        }
        return out;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FloatTensor that && Arrays.equals(shape, that.shape) && Arrays.equals(data, that.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "FloatTensor" + Arrays.toString(shape);
    }
}
