package dev.rlhf.core.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * Streams bytes and little-endian numbers to a channel through one fixed buffer, so that writing a large checkpoint
 * never needs more memory than one tensor's {@code float[]} plus this buffer.
 */
final class LittleEndianChannelWriter {
    private final WritableByteChannel channel;
    private final ByteBuffer buffer;

    LittleEndianChannelWriter(WritableByteChannel channel, int bufferBytes) {
        this.channel = channel;
        this.buffer = ByteBuffer.allocateDirect(bufferBytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    void writeBytes(byte[] bytes) throws IOException {
        for (int done = 0; done < bytes.length; ) {
            int count = Math.min(buffer.remaining(), bytes.length - done);
            buffer.put(bytes, done, count);
            done += count;
            flushIfFull();
        }
    }

    /** Writes {@code values} as IEEE binary32, 4 bytes each. */
    void writeFloats(float[] values) throws IOException {
        for (int done = 0; done < values.length; ) {
            FloatBuffer view = buffer.asFloatBuffer();
            int count = Math.min(view.remaining(), values.length - done);
            view.put(values, done, count);
            buffer.position(buffer.position() + count * Float.BYTES);
            done += count;
            flushIfFull();
        }
    }

    /** Writes {@code values} rounded to bfloat16, 2 bytes each. */
    void writeBf16(float[] values) throws IOException {
        for (float value : values) {
            if (buffer.remaining() < Short.BYTES) {
                flush();
            }
            buffer.putShort(HalfPrecision.floatToBf16(value));
        }
    }

    /** Writes out everything buffered. */
    void flush() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        buffer.clear();
    }

    private void flushIfFull() throws IOException {
        if (buffer.remaining() < Float.BYTES) {
            flush();
        }
    }
}
