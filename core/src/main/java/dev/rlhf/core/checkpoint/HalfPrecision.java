package dev.rlhf.core.checkpoint;

/**
 * Conversions between {@code float} and the two 16-bit float formats found in checkpoints.
 *
 * <p>IEEE 754 binary16 ({@code F16}) has 1 sign, 5 exponent (bias 15) and 10 mantissa bits. Java 17 has no
 * {@code Float.float16ToFloat} (it arrived in Java 20), hence {@link #f16ToFloat}.
 *
 * <p>bfloat16 ({@code BF16}) is the upper half of a binary32: 1 sign, 8 exponent (bias 127) and 7 mantissa bits, so
 * widening is a shift and narrowing is a rounding of the lower 16 bits.
 */
public final class HalfPrecision {
    private static final int F16_EXPONENT_MAX = 0x1F;
    /** binary32 bias minus binary16 bias: 127 - 15. */
    private static final int F16_TO_F32_BIAS = 112;
    /** Value of the lowest binary16 mantissa bit of a subnormal, 2^-24. */
    private static final float F16_SUBNORMAL_UNIT = 0x1p-24f;

    private HalfPrecision() {}

    /** The exact {@code float} value of IEEE binary16 {@code bits}, including subnormals, infinities and NaN. */
    public static float f16ToFloat(short bits) {
        int half = bits & 0xFFFF;
        int sign = (half & 0x8000) << 16;
        int exponent = (half >>> 10) & F16_EXPONENT_MAX;
        int mantissa = half & 0x3FF;
        if (exponent == F16_EXPONENT_MAX) {
            // Infinity (mantissa 0) or NaN; the NaN payload moves to the top of the binary32 mantissa.
            return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            // Zero or subnormal: mantissa * 2^-24, exact in binary32.
            float magnitude = mantissa * F16_SUBNORMAL_UNIT;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + F16_TO_F32_BIAS) << 23) | (mantissa << 13));
    }

    /** The exact {@code float} value of bfloat16 {@code bits}. */
    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    /**
     * Rounds {@code value} to the nearest bfloat16, ties to even, as PyTorch's {@code tensor.to(torch.bfloat16)} does.
     * NaN stays NaN (quiet, sign kept) rather than being rounded into infinity.
     */
    public static short floatToBf16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if ((bits & 0x7FFFFFFF) > 0x7F800000) {
            return (short) ((bits >>> 16) | 0x0040);
        }
        int roundingBias = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + roundingBias) >>> 16);
    }

    /**
     * Rounds {@code value} to the nearest IEEE binary16, ties to even, as {@code Float.floatToFloat16} (Java 20) and
     * PyTorch's {@code tensor.half()} do: magnitudes from 65520 up become infinity, those below 2^-14 subnormals, and
     * NaN stays a quiet NaN with its sign.
     */
    public static short floatToF16(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int magnitude = bits & 0x7FFFFFFF;
        if (magnitude > 0x7F800000) {
            return (short) (sign | 0x7E00 | ((magnitude >>> 13) & 0x3FF));
        }
        if (magnitude >= 0x477FF000) {
            // 65520 and above (infinity included) round past the largest finite half, 65504.
            return (short) (sign | 0x7C00);
        }
        if (magnitude < 0x38800000) {
            // Below 2^-14: a subnormal, a multiple of 2^-24; scaling by 2^24 is exact and rint ties to even.
            int units = (int) Math.rint(Float.intBitsToFloat(magnitude) / F16_SUBNORMAL_UNIT);
            return (short) (sign | units);
        }
        int half = ((((magnitude >>> 23) - F16_TO_F32_BIAS)) << 10) | ((magnitude >>> 13) & 0x3FF);
        int dropped = magnitude & 0x1FFF;
        if (dropped > 0x1000 || (dropped == 0x1000 && (half & 1) == 1)) {
            half++; // a carry out of the mantissa correctly bumps the exponent
        }
        return (short) (sign | half);
    }
}
