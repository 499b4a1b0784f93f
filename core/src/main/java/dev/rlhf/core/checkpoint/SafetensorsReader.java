package dev.rlhf.core.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Reads tensors from a safetensors file.
 *
 * <p>The header is parsed and validated by {@link #open}; see {@link SafetensorsHeader} for the format. Tensor data is
 * read with positional reads, at most {@value #MAX_CHUNK_BYTES} bytes at a time, into one direct buffer the reader
 * reuses: no memory mapping (mapped pages of a multi-GB checkpoint stay in the process's resident set until a garbage
 * collection unmaps them, long after the load) and, for {@link #copyInto}, no Java array or native copy the size of
 * the tensor. Data is little-endian and row-major.
 *
 * <p>Every error is a {@link CheckpointException} naming the file and the tensor.
 */
public final class SafetensorsReader implements AutoCloseable {
    /** The most bytes read at once: a multiple of every element size, so no element straddles two chunks. */
    static final int MAX_CHUNK_BYTES = 64 << 20;
    /** The largest array length every JVM accepts. */
    private static final long MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;
    /** Non-float dtypes that {@link #load} keeps exact; DJL 0.33's PyTorch engine crashes natively on INT16. */
    private static final Set<SafetensorsDtype> EXACT_LOAD = Collections.unmodifiableSet(EnumSet.of(
            SafetensorsDtype.I64,
            SafetensorsDtype.I32,
            SafetensorsDtype.I8,
            SafetensorsDtype.U8,
            SafetensorsDtype.BOOL));

    private final Path file;
    private final FileChannel channel;
    private final SafetensorsHeader header;
    private final int chunkBytes;
    /** The raw bytes of the chunk being read, and their float32 widening; grown on demand, reused across tensors. */
    private ByteBuffer raw = ByteBuffer.allocateDirect(0);

    private ByteBuffer widened = ByteBuffer.allocateDirect(0);
    private volatile boolean closed;

    private SafetensorsReader(Path file, FileChannel channel, SafetensorsHeader header, int chunkBytes) {
        this.file = file;
        this.channel = channel;
        this.header = header;
        this.chunkBytes = chunkBytes;
    }

    /** Opens {@code file} and validates its header; the caller must {@link #close} the reader. */
    public static SafetensorsReader open(Path file) {
        return open(file, MAX_CHUNK_BYTES);
    }

    /** As {@link #open(Path)}, reading at most {@code chunkBytes} (a multiple of 8) at once; tests use small ones. */
    static SafetensorsReader open(Path file, int chunkBytes) {
        if (chunkBytes <= 0 || chunkBytes > MAX_CHUNK_BYTES || chunkBytes % Long.BYTES != 0) {
            throw new IllegalArgumentException("chunkBytes must be a positive multiple of 8, got " + chunkBytes);
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw CheckpointException.at(file, "file not found");
        } catch (IOException e) {
            throw CheckpointException.io(file, "cannot open", e);
        }
        try {
            return new SafetensorsReader(file, channel, SafetensorsHeader.read(file, channel), chunkBytes);
        } catch (IOException e) {
            closeAfterFailure(channel, e);
            throw CheckpointException.io(file, "cannot read the header", e);
        } catch (RuntimeException e) {
            closeAfterFailure(channel, e);
            throw e;
        }
    }

    public Path file() {
        return file;
    }

    /** All tensors in the order of the header (writers usually sort them by name). */
    public Map<String, TensorInfo> tensors() {
        return header.tensors();
    }

    /** The {@code __metadata__} strings, e.g. {@code {"format": "pt"}}; empty if the file has none. */
    public Map<String, String> metadata() {
        return header.metadata();
    }

    /** The header entry of {@code name}; an error naming the file and the tensor if there is none. */
    public TensorInfo tensor(String name) {
        TensorInfo info = header.tensors().get(name);
        if (info == null) {
            throw CheckpointException.at(file, "no tensor named '" + name + "'");
        }
        return info;
    }

    /** The values of a floating-point tensor (F32, F16, BF16 or F64) as {@code float}, row-major. */
    public float[] readFloats(String name) {
        TensorInfo info = floatingPoint(name);
        float[] values = new float[arrayLength(info, info.elementCount())];
        forEachChunk(
                info,
                0,
                info.elementCount(),
                (chunk, firstElement) -> FloatDecoder.decode(
                        info.dtype(),
                        chunk,
                        FloatBuffer.wrap(values, (int) firstElement, values.length - (int) firstElement)));
        return values;
    }

    /**
     * Copies a floating-point tensor into {@code target}, a {@code FLOAT32} array of the tensor's shape (a model
     * parameter being loaded), block of rows by block of rows: the widest native temporary is one chunk, so loading a
     * checkpoint costs no more memory than its parameters.
     */
    public void copyInto(String name, NDArray target) {
        TensorInfo info = floatingPoint(name);
        long[] shape = info.shape();
        if (!Arrays.equals(shape, target.getShape().getShape())) {
            throw CheckpointException.at(
                    file,
                    "tensor '" + name + "' has shape " + Arrays.toString(shape) + " but its target has "
                            + target.getShape());
        }
        if (info.elementCount() == 0) {
            return;
        }
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw CheckpointException.at(
                    file, "tensor '" + name + "': loading into an NDArray needs a little-endian host");
        }
        long rows = shape.length == 0 ? 1 : shape[0];
        long rowElements = info.elementCount() / rows;
        long rowsPerBlock = Math.max(1, chunkBytes / Float.BYTES / rowElements);
        for (long row = 0; row < rows; row += rowsPerBlock) {
            long blockRows = Math.min(rowsPerBlock, rows - row);
            ByteBuffer floats = readWidened(info, row * rowElements, blockRows * rowElements);
            long[] blockShape = shape.clone();
            if (blockShape.length > 0) {
                blockShape[0] = blockRows;
            }
            NDIndex where = blockRows == rows ? new NDIndex("...") : new NDIndex().addSliceDim(row, row + blockRows);
            // An indexed copy (index_put_), not NDArray.set(Buffer): that one enters a deprecated libtorch mode and
            // prints a native warning on the terminal of every command that loads a model.
            try (NDArray block = target.getManager().create(floats, new Shape(blockShape), DataType.FLOAT32)) {
                target.set(where, block);
            }
        }
    }

    /**
     * The tensor as an array of {@code manager}: floating-point dtypes become {@code FLOAT32}; integer and boolean dtypes
     * keep their type ({@link SafetensorsDtype#djlType()}).
     */
    public NDArray load(String name, NDManager manager) {
        TensorInfo info = tensor(name);
        Shape shape = new Shape(info.shape());
        if (info.dtype().isFloatingPoint()) {
            NDArray array = manager.zeros(shape, DataType.FLOAT32);
            copyInto(name, array);
            return array;
        }
        return loadExact(info, shape, manager);
    }

    @Override
    public void close() {
        closed = true;
        try {
            channel.close();
        } catch (IOException e) {
            throw CheckpointException.io(file, "cannot close", e);
        }
    }

    /** Copies the raw little-endian bytes into native memory; DJL's engines all run on little-endian hosts. */
    private NDArray loadExact(TensorInfo info, Shape shape, NDManager manager) {
        if (!EXACT_LOAD.contains(info.dtype())) {
            throw CheckpointException.at(
                    file,
                    "tensor '" + info.name() + "': dtype " + info.dtype() + " cannot be loaded as an NDArray (DJL "
                            + "0.33's PyTorch engine aborts the JVM on "
                            + info.dtype().djlType() + "); supported: "
                            + EXACT_LOAD + " and the floating-point dtypes");
        }
        if (info.dtype().byteSize() > 1 && ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw CheckpointException.at(
                    file, "tensor '" + info.name() + "': dtype " + info.dtype() + " needs a little-endian host");
        }
        ByteBuffer buffer = manager.allocateDirect(arrayLength(info, info.byteLength()));
        forEachChunk(info, 0, info.elementCount(), (chunk, firstElement) -> buffer.put(chunk));
        buffer.rewind();
        return manager.create(buffer, shape, info.dtype().djlType());
    }

    private TensorInfo floatingPoint(String name) {
        TensorInfo info = tensor(name);
        if (!info.dtype().isFloatingPoint()) {
            throw CheckpointException.at(
                    file, "tensor '" + name + "' has dtype " + info.dtype() + ", which is not floating-point");
        }
        return info;
    }

    /** Elements {@code [first, first + count)} of a floating-point tensor as little-endian float32, in a reused buffer. */
    private ByteBuffer readWidened(TensorInfo info, long first, long count) {
        widened = capacity(widened, Math.multiplyExact(count, Float.BYTES));
        forEachChunk(
                info,
                first,
                count,
                (chunk, firstElement) -> FloatDecoder.decode(
                        info.dtype(),
                        chunk,
                        widened.position((int) ((firstElement - first) * Float.BYTES))
                                .asFloatBuffer()));
        return widened.position(0).limit((int) (count * Float.BYTES));
    }

    /**
     * Reads elements {@code [first, first + count)} chunk by chunk (at most {@link #chunkBytes}, or one element) and
     * hands each, little-endian, to {@code sink} with the index of its first element.
     */
    private void forEachChunk(TensorInfo info, long first, long count, ChunkSink sink) {
        if (closed) {
            throw CheckpointException.at(file, "reader is closed; cannot read tensor '" + info.name() + "'");
        }
        int elementBytes = info.dtype().byteSize();
        long elementsPerChunk = Math.max(1, chunkBytes / elementBytes);
        raw = capacity(raw, Math.min(count, elementsPerChunk) * elementBytes);
        try {
            for (long done = 0; done < count; ) {
                long elements = Math.min(elementsPerChunk, count - done);
                ByteBuffer chunk =
                        raw.clear().limit((int) (elements * elementBytes)).order(ByteOrder.LITTLE_ENDIAN);
                long position = header.dataStart() + info.begin() + (first + done) * elementBytes;
                while (chunk.hasRemaining()) {
                    if (channel.read(chunk, position + chunk.position()) < 0) {
                        throw CheckpointException.at(
                                file, "tensor '" + info.name() + "' ends past the end of the file");
                    }
                }
                sink.accept(chunk.flip(), first + done);
                done += elements;
            }
        } catch (IOException e) {
            throw CheckpointException.io(file, "cannot read tensor '" + info.name() + "'", e);
        }
    }

    /** {@code buffer} if it holds {@code bytes}, else a new direct buffer that does; little-endian either way. */
    private ByteBuffer capacity(ByteBuffer buffer, long bytes) {
        if (bytes > Integer.MAX_VALUE) {
            throw CheckpointException.at(file, "a chunk of " + bytes + " bytes is more than a buffer holds");
        }
        ByteBuffer out = buffer.capacity() >= bytes ? buffer : ByteBuffer.allocateDirect((int) bytes);
        return out.clear().order(ByteOrder.LITTLE_ENDIAN);
    }

    private int arrayLength(TensorInfo info, long length) {
        if (length > MAX_ARRAY_LENGTH) {
            throw CheckpointException.at(
                    file,
                    "tensor '" + info.name() + "' needs " + length + " array slots, more than a Java array holds");
        }
        return (int) length;
    }

    private static void closeAfterFailure(FileChannel channel, Exception failure) {
        try {
            channel.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    /** Receives one chunk, little-endian, starting at element {@code firstElement} of the tensor. */
    @FunctionalInterface
    private interface ChunkSink {
        void accept(ByteBuffer chunk, long firstElement);
    }
}
