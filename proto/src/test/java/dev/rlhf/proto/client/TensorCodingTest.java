package dev.rlhf.proto.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link RawTensors}, {@link FloatTensor} and {@link ClientOptions#backoff}: the byte layout the protocol fixes. */
class TensorCodingTest {

    @Test
    void int64IsLittleEndianRowMajor() {
        ByteString raw = RawTensors.int64("ids", new long[][] {{1, -2}, {0x0102030405060708L, 0}});
        byte[] expected = {
            1, 0, 0, 0, 0, 0, 0, 0, // 1
            -2, -1, -1, -1, -1, -1, -1, -1, // -2, two's complement
            8, 7, 6, 5, 4, 3, 2, 1, // 0x0102030405060708, least significant byte first
            0, 0, 0, 0, 0, 0, 0, 0
        };
        assertArrayEquals(expected, raw.toByteArray());
        assertArrayEquals(new long[] {1, -2, 0x0102030405060708L, 0}, RawTensors.toInt64(raw));
    }

    @Test
    void fp32IsLittleEndianIeee754() {
        ByteString raw = RawTensors.fp32(new float[] {1.0f, -0.5f});
        // 1.0f = 0x3F800000, -0.5f = 0xBF000000
        assertArrayEquals(new byte[] {0, 0, -128, 63, 0, 0, 0, -65}, raw.toByteArray());
        assertArrayEquals(new float[] {1.0f, -0.5f}, RawTensors.toFp32(raw));
    }

    @Test
    void aTruncatedBufferIsAnError() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> RawTensors.toFp32(ByteString.copyFrom(new byte[6])));
        assertEquals("6 bytes are not a whole number of FP32 elements (4 bytes each)", e.getMessage());
    }

    @Test
    void tensorsSplitIntoRowsByTheFirstDimension() {
        FloatTensor matrix = new FloatTensor(new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6});
        assertArrayEquals(new float[][] {{1, 2, 3}, {4, 5, 6}}, matrix.toRows());
        assertArrayEquals(new float[][] {{1}, {2}}, new FloatTensor(new long[] {2}, new float[] {1, 2}).toRows());
        assertArrayEquals(new float[][] {{9}}, new FloatTensor(new long[0], new float[] {9}).toRows());
        assertThrows(IllegalArgumentException.class, () -> new FloatTensor(new long[] {2, 2}, new float[3]));
    }

    @Test
    void backoffDoublesUpToTheCap() {
        ClientOptions options =
                ClientOptions.defaults().withBaseDelay(Duration.ofMillis(100)).withMaxDelay(Duration.ofMillis(350));
        assertEquals(Duration.ofMillis(100), options.backoff(1));
        assertEquals(Duration.ofMillis(200), options.backoff(2));
        assertEquals(Duration.ofMillis(350), options.backoff(3));
        assertEquals(Duration.ofMillis(350), options.backoff(40));
    }
}
