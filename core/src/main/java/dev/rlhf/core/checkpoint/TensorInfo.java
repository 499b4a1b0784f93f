package dev.rlhf.core.checkpoint;

import java.util.Arrays;
import java.util.Objects;

/**
 * One entry of a safetensors header: where a tensor's bytes lie and how to read them.
 *
 * @param name the tensor name, the key of the header entry
 * @param dtype element type
 * @param shape dimensions, row-major; empty for a scalar
 * @param begin offset of the first byte, relative to the start of the data buffer (after the header)
 * @param end offset one past the last byte, relative to the start of the data buffer
 */
public record TensorInfo(String name, SafetensorsDtype dtype, long[] shape, long begin, long end) {

    public TensorInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        shape = shape.clone();
    }

    /** A copy of the dimensions, so that the record stays immutable. */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Number of elements, the product of the dimensions (1 for a scalar). */
    public long elementCount() {
        long count = 1;
        for (long dim : shape) {
            count = Math.multiplyExact(count, dim);
        }
        return count;
    }

    /** Number of bytes in the data buffer, {@code end - begin}. */
    public long byteLength() {
        return end - begin;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TensorInfo that
                && name.equals(that.name)
                && dtype == that.dtype
                && Arrays.equals(shape, that.shape)
                && begin == that.begin
                && end == that.end;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape), begin, end);
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape) + " @[" + begin + ", " + end + ")";
    }
}
