package dev.rlhf.core.export;

import dev.rlhf.core.export.onnx.StringStringEntryProto;
import dev.rlhf.core.export.onnx.TensorProto;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Streams initializer bytes into an ONNX external-data side file ({@code model.onnx.data}) and points each tensor at
 * them, ONNX's convention: {@code data_location = EXTERNAL} and {@code external_data} entries {@code location} (the
 * side file's name, relative to the model file), {@code offset} and {@code length}.
 *
 * <p>Every tensor starts at a multiple of {@link #ALIGNMENT} bytes, as ONNX Runtime aligns the files it writes, so
 * that a reader can memory-map each weight. Tensors under {@link #MIN_BYTES} stay inline ({@code onnx}'s default
 * {@code size_threshold}), which keeps shape constants readable in the model file.
 */
final class ExternalDataWriter implements AutoCloseable {

    /** Offset alignment: the page size, ONNX Runtime's {@code on_disk_alignment_factor}. */
    static final int ALIGNMENT = 4096;
    /** Smallest tensor written to the side file. */
    static final int MIN_BYTES = 1024;
    /** Elements encoded per write: 4 MiB of float32. */
    private static final int CHUNK = 1 << 20;

    private final Path file;
    private final String location;
    private final FileChannel channel;
    private long position;

    /** Opens {@code file} (which must not exist) for tensors the model file names as {@code location}. */
    ExternalDataWriter(Path file, String location) {
        this.file = file;
        this.location = location;
        try {
            this.channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new OnnxExportException(file, "cannot create the external data file", e);
        }
    }

    /** True when a tensor of {@code bytes} goes to the side file. */
    boolean takes(long bytes) {
        return bytes >= MIN_BYTES;
    }

    /** Appends {@code raw} at the next aligned offset and records where in {@code tensor}. */
    void write(TensorProto.Builder tensor, byte[] raw) {
        long offset = alignedEnd();
        writeAt(tensor, ByteBuffer.wrap(raw), offset);
        record(tensor, offset, raw.length);
    }

    /** Appends {@code values} as {@code type}, little-endian, encoding {@link #CHUNK} elements at a time. */
    void write(TensorProto.Builder tensor, float[] values, WeightType type) {
        long offset = alignedEnd();
        ByteBuffer buffer = ByteBuffer.allocate(CHUNK * type.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        long at = offset;
        for (int from = 0; from < values.length; from += CHUNK) {
            buffer.clear();
            for (int i = from; i < Math.min(values.length, from + CHUNK); i++) {
                type.put(buffer, values[i]);
            }
            buffer.flip();
            at += buffer.remaining();
            writeAt(tensor, buffer, at - buffer.remaining());
        }
        record(tensor, offset, at - offset);
    }

    /** The end of the data so far, rounded up to {@link #ALIGNMENT}; the gap reads as zeros. */
    private long alignedEnd() {
        return (position + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    private void writeAt(TensorProto.Builder tensor, ByteBuffer buffer, long at) {
        try {
            while (buffer.hasRemaining()) {
                at += channel.write(buffer, at);
            }
        } catch (IOException e) {
            throw new OnnxExportException(file, "cannot write tensor '" + tensor.getName() + "'", e);
        }
    }

    private void record(TensorProto.Builder tensor, long offset, long length) {
        position = offset + length;
        tensor.setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(entry("location", location))
                .addExternalData(entry("offset", Long.toString(offset)))
                .addExternalData(entry("length", Long.toString(length)));
    }

    /** Bytes written so far, padding included. */
    long size() {
        return position;
    }

    /** Flushes the side file to disk. */
    void force() {
        try {
            channel.force(true);
        } catch (IOException e) {
            throw new OnnxExportException(file, "cannot flush the external data file", e);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new OnnxExportException(file, "cannot close the external data file", e);
        }
    }

    private static StringStringEntryProto entry(String key, String value) {
        return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }
}
