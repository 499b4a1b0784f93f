package dev.rlhf.core.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Reads tensors from a safetensors file by memory-mapping their bytes.
 *
 * <p>The header is parsed and validated by {@link #open}; see {@link SafetensorsHeader} for the format. Tensor data is
 * mapped on demand, one region of at most {@value #MAX_MAPPING_BYTES} bytes at a time, because a single
 * {@link java.nio.MappedByteBuffer} cannot exceed 2 GiB while checkpoints routinely do. Data is little-endian and
 * row-major.
 *
 * <p>Every error is a {@link CheckpointException} naming the file and the tensor.
 */
public final class SafetensorsReader implements AutoCloseable {
    /** Below the 2 GiB limit of a mapping, and a multiple of every element size so no element straddles two. */
    static final long MAX_MAPPING_BYTES = 1L << 30;
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
    private final long mappingBytes;
    private volatile boolean closed;

    private SafetensorsReader(Path file, FileChannel channel, SafetensorsHeader header, long mappingBytes) {
        this.file = file;
        this.channel = channel;
        this.header = header;
        this.mappingBytes = mappingBytes;
    }

    /** Opens {@code file} and validates its header; the caller must {@link #close} the reader. */
    public static SafetensorsReader open(Path file) {
        return open(file, MAX_MAPPING_BYTES);
    }

    /** As {@link #open(Path)}, mapping at most {@code mappingBytes} (a multiple of 8) at once; tests use small ones. */
    static SafetensorsReader open(Path file, long mappingBytes) {
        if (mappingBytes <= 0 || mappingBytes > MAX_MAPPING_BYTES || mappingBytes % Long.BYTES != 0) {
            throw new IllegalArgumentException("mappingBytes must be a positive multiple of 8, got " + mappingBytes);
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
            return new SafetensorsReader(file, channel, SafetensorsHeader.read(file, channel), mappingBytes);
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
        TensorInfo info = tensor(name);
        if (!info.dtype().isFloatingPoint()) {
            throw CheckpointException.at(
                    file, "tensor '" + name + "' has dtype " + info.dtype() + ", which is not floating-point");
        }
        float[] values = new float[arrayLength(info, info.elementCount())];
        forEachChunk(info, (chunk, firstElement) -> FloatDecoder.decode(info.dtype(), chunk, values, firstElement));
        return values;
    }

    /**
     * The tensor as an array of {@code manager}: floating-point dtypes become {@code FLOAT32}; integer and boolean dtypes
     * keep their type ({@link SafetensorsDtype#djlType()}).
     */
    public NDArray load(String name, NDManager manager) {
        TensorInfo info = tensor(name);
        Shape shape = new Shape(info.shape());
        if (info.dtype().isFloatingPoint()) {
            return manager.create(readFloats(name), shape);
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
        forEachChunk(info, (chunk, firstElement) -> buffer.put(chunk));
        buffer.rewind();
        return manager.create(buffer, shape, info.dtype().djlType());
    }

    /** Maps the tensor's bytes region by region and hands each to {@code sink} in order. */
    private void forEachChunk(TensorInfo info, ChunkSink sink) {
        if (closed) {
            throw CheckpointException.at(file, "reader is closed; cannot read tensor '" + info.name() + "'");
        }
        long start = header.dataStart() + info.begin();
        long length = info.byteLength();
        try {
            for (long done = 0; done < length; ) {
                long size = Math.min(mappingBytes, length - done);
                ByteBuffer chunk = channel.map(FileChannel.MapMode.READ_ONLY, start + done, size)
                        .order(ByteOrder.LITTLE_ENDIAN);
                sink.accept(chunk, (int) (done / info.dtype().byteSize()));
                done += size;
            }
        } catch (IOException e) {
            throw CheckpointException.io(file, "cannot read tensor '" + info.name() + "'", e);
        }
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

    /** Receives one mapped region, little-endian, starting at element {@code firstElement} of the tensor. */
    @FunctionalInterface
    private interface ChunkSink {
        void accept(ByteBuffer chunk, int firstElement);
    }
}
