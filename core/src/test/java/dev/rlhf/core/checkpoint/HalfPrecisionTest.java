package dev.rlhf.core.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HalfPrecisionTest {

    @Test
    void f16SpecialValues() {
        assertEquals(1.0f, HalfPrecision.f16ToFloat((short) 0x3C00));
        assertEquals(-2.0f, HalfPrecision.f16ToFloat((short) 0xC000));
        assertEquals(65504f, HalfPrecision.f16ToFloat((short) 0x7BFF));
        assertEquals(0x1p-24f, HalfPrecision.f16ToFloat((short) 0x0001));
        assertEquals(0x1p-14f - 0x1p-24f, HalfPrecision.f16ToFloat((short) 0x03FF));
        assertEquals(0x1p-14f, HalfPrecision.f16ToFloat((short) 0x0400));
        assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(HalfPrecision.f16ToFloat((short) 0x8000)));
        assertEquals(Float.POSITIVE_INFINITY, HalfPrecision.f16ToFloat((short) 0x7C00));
        assertEquals(Float.NEGATIVE_INFINITY, HalfPrecision.f16ToFloat((short) 0xFC00));
        assertTrue(Float.isNaN(HalfPrecision.f16ToFloat((short) 0x7E00)));
        assertTrue(Float.isNaN(HalfPrecision.f16ToFloat((short) 0xFC01)));
    }

    /** All 65536 bit patterns against PyTorch's own half-to-float conversion. */
    @Test
    void f16MatchesPyTorchForEveryBitPattern() {
        ByteBuffer bits = ByteBuffer.allocateDirect(2 * 65536).order(ByteOrder.nativeOrder());
        for (int i = 0; i < 65536; i++) {
            bits.putShort((short) i);
        }
        bits.rewind();
        float[] expected;
        try (NDManager manager = NDManager.newBaseManager()) {
            expected = manager.create(bits, new Shape(65536), DataType.FLOAT16)
                    .toType(DataType.FLOAT32, false)
                    .toFloatArray();
        }
        for (int i = 0; i < 65536; i++) {
            float actual = HalfPrecision.f16ToFloat((short) i);
            if (Float.isNaN(expected[i])) {
                assertTrue(Float.isNaN(actual), "0x" + Integer.toHexString(i));
            } else {
                assertEquals(
                        Float.floatToRawIntBits(expected[i]),
                        Float.floatToRawIntBits(actual),
                        "0x" + Integer.toHexString(i));
            }
        }
    }

    @Test
    void bf16WidensByShifting() {
        assertEquals(1.0f, HalfPrecision.bf16ToFloat((short) 0x3F80));
        assertEquals(-2.5f, HalfPrecision.bf16ToFloat((short) 0xC020));
        assertEquals(3.140625f, HalfPrecision.bf16ToFloat((short) 0x4049));
    }

    @Test
    void bf16RoundsToNearestEven() {
        assertEquals((short) 0x3F80, bf16(0x3F808000), "tie rounds down to even");
        assertEquals((short) 0x3F82, bf16(0x3F818000), "tie rounds up to even");
        assertEquals((short) 0x3F81, bf16(0x3F808001), "above the tie rounds up");
        assertEquals((short) 0x3F80, bf16(0x3F807FFF), "below the tie rounds down");
        assertEquals((short) 0xBF82, bf16(0xBF818000), "negative tie rounds to even");
        assertEquals((short) 0x7F80, bf16(0x7F7FFFFF), "largest float overflows to infinity");
        assertEquals((short) 0x8000, HalfPrecision.floatToBf16(-0.0f));
        assertEquals((short) 0x7F80, HalfPrecision.floatToBf16(Float.POSITIVE_INFINITY));
    }

    /** Against a direct definition: the nearer of the two bfloat16 neighbours, the even one on a tie. */
    @Test
    void bf16MatchesTheDefinitionOfRoundToNearestEven() {
        Random random = new Random(7);
        for (int n = 0; n < 200_000; n++) {
            int bits = n < 100_000 ? random.nextInt() : (random.nextInt() & 0xFFFF8000) | (n & 1) << 15;
            float value = Float.intBitsToFloat(bits);
            if (Float.isNaN(value) || Float.isInfinite(value)) {
                continue;
            }
            assertEquals(nearestEvenBf16(value), HalfPrecision.floatToBf16(value), Integer.toHexString(bits));
        }
    }

    private static short nearestEvenBf16(float value) {
        int bits = Float.floatToRawIntBits(value);
        int truncated = bits & 0xFFFF0000;
        int awayFromZero = truncated + 0x10000;
        double down = Math.abs((double) value - Float.intBitsToFloat(truncated));
        double up = Math.abs((double) Float.intBitsToFloat(awayFromZero) - value);
        if (Float.isInfinite(Float.intBitsToFloat(awayFromZero))) {
            // Past the largest finite bfloat16 the neighbour is infinity; compare with where 2^128 would be.
            up = Math.abs(Math.scalb(Math.signum((double) value), 128) - value);
        }
        boolean roundUp = up < down || (up == down && (truncated & 0x10000) != 0);
        return (short) ((roundUp ? awayFromZero : truncated) >>> 16);
    }

    @Test
    void bf16KeepsNanANan() {
        for (int bits : new int[] {0x7F800001, 0x7FFFFFFF, 0xFF800001, 0x7FC00000}) {
            short narrowed = HalfPrecision.floatToBf16(Float.intBitsToFloat(bits));
            assertTrue(Float.isNaN(HalfPrecision.bf16ToFloat(narrowed)), Integer.toHexString(bits));
            assertEquals(bits < 0, narrowed < 0, "sign of " + Integer.toHexString(bits));
        }
    }

    private static short bf16(int floatBits) {
        return HalfPrecision.floatToBf16(Float.intBitsToFloat(floatBits));
    }

    @Test
    void floatToF16InvertsF16ToFloatForEveryHalf() {
        for (int bits = 0; bits < 0x10000; bits++) {
            short half = (short) bits;
            float value = HalfPrecision.f16ToFloat(half);
            if (Float.isNaN(value)) {
                assertTrue(Float.isNaN(HalfPrecision.f16ToFloat(HalfPrecision.floatToF16(value))));
            } else {
                assertEquals(half, HalfPrecision.floatToF16(value), "half 0x" + Integer.toHexString(bits));
            }
        }
    }

    @Test
    void floatToF16RoundsToNearestTiesToEven() {
        assertEquals((short) 0x3C00, HalfPrecision.floatToF16(1f + 0x1p-11f)); // tie, 1.0 is even
        assertEquals((short) 0x3C02, HalfPrecision.floatToF16(1f + 3 * 0x1p-11f)); // tie, up to even
        assertEquals((short) 0x3C01, HalfPrecision.floatToF16(1f + 0x1p-11f + 0x1p-20f)); // past the tie
        assertEquals((short) 0x7BFF, HalfPrecision.floatToF16(65519f));
        assertEquals((short) 0x7C00, HalfPrecision.floatToF16(65520f)); // tie past the largest half: infinity
        assertEquals((short) 0xFC00, HalfPrecision.floatToF16(-1e6f));
        assertEquals((short) 0x0000, HalfPrecision.floatToF16(0x1p-25f)); // subnormal tie to 0
        assertEquals((short) 0x0002, HalfPrecision.floatToF16(3 * 0x1p-25f)); // subnormal tie to 2 units
        assertEquals((short) 0x0400, HalfPrecision.floatToF16(0x1p-14f - 0x1p-30f)); // rounds up to the least normal
        assertEquals((short) 0x8000, HalfPrecision.floatToF16(-0f));
    }
}
