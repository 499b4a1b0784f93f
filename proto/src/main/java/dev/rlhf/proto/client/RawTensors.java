package dev.rlhf.proto.client;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The {@code raw_input_contents} / {@code raw_output_contents} encoding of the v2 protocol: elements in row-major order,
 * packed without padding, little-endian, whatever the byte order of client or server.
 */
public final class RawTensors {
    private RawTensors() {}

    /** Packs a rectangular INT64 matrix row after row. {@code name} only serves the error message. */
    public static ByteString int64(String name, long[][] rows) {
        int width = rows.length == 0 ? 0 : rows[0].length;
        ByteBuffer buffer = ByteBuffer.allocate(Math.multiplyExact(Math.multiplyExact(rows.length, width), Long.BYTES))
                .order(ByteOrder.LITTLE_ENDIAN);
        for (int r = 0; r < rows.length; r++) {
            if (rows[r].length != width) {
                throw new IllegalArgumentException("input '" + name + "': row " + r + " has " + rows[r].length
                        + " elements, row 0 has " + width + "; pad rows to one length (and mask the padding)");
            }
            for (long value : rows[r]) {
                buffer.putLong(value);
            }
        }
        return ByteString.copyFrom(buffer.flip());
    }

    public static long[] toInt64(ByteString raw) {
        requireMultiple(raw, Long.BYTES, "INT64");
        long[] out = new long[raw.size() / Long.BYTES];
        raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(out);
        return out;
    }

    public static ByteString fp32(float[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(Math.multiplyExact(values.length, Float.BYTES))
                .order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return ByteString.copyFrom(buffer);
    }

    public static float[] toFp32(ByteString raw) {
        requireMultiple(raw, Float.BYTES, "FP32");
        float[] out = new float[raw.size() / Float.BYTES];
        raw.asReadOnlyByteBuffer()
                .order(ByteOrder.LITTLE_ENDIAN)
                .asFloatBuffer()
                .get(out);
        return out;
    }

    private static void requireMultiple(ByteString raw, int width, String type) {
        if (raw.size() % width != 0) {
            throw new IllegalArgumentException(
                    raw.size() + " bytes are not a whole number of " + type + " elements (" + width + " bytes each)");
        }
    }
}
