package dev.rlhf.core.checkpoint;

import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;

/** Widens the little-endian floating-point dtypes of safetensors to {@code float}, as PyTorch's {@code .float()}. */
final class FloatDecoder {
    private FloatDecoder() {}

    /**
     * Decodes all of {@code chunk}, elements of {@code dtype} in the buffer's byte order, into {@code out} from its
     * position on. F64 is rounded to nearest; F32, F16 and BF16 are exact.
     */
    static void decode(SafetensorsDtype dtype, ByteBuffer chunk, FloatBuffer out) {
        switch (dtype) {
            case F32 -> out.put(chunk.asFloatBuffer());
            case F64 -> {
                DoubleBuffer doubles = chunk.asDoubleBuffer();
                while (doubles.hasRemaining()) {
                    out.put((float) doubles.get());
                }
            }
            case F16 -> {
                ShortBuffer halves = chunk.asShortBuffer();
                while (halves.hasRemaining()) {
                    out.put(HalfPrecision.f16ToFloat(halves.get()));
                }
            }
            case BF16 -> {
                ShortBuffer halves = chunk.asShortBuffer();
                while (halves.hasRemaining()) {
                    out.put(HalfPrecision.bf16ToFloat(halves.get()));
                }
            }
            default -> throw new IllegalArgumentException("not a floating-point dtype: " + dtype);
        }
    }
}
