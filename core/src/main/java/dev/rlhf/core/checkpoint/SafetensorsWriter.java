package dev.rlhf.core.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Writes NDArrays to a safetensors file that Hugging Face {@code safetensors.torch.load_file} reads.
 *
 * <p>As the reference writer does, tensors are sorted by name, {@code __metadata__} carries {@code "format": "pt"},
 * and the JSON header is padded with spaces so that the data buffer starts 8-byte aligned (8 + header length is a
 * multiple of 8). Tensors are streamed one at a time through a small buffer; see {@link SafetensorsHeader} for the
 * layout.
 */
public final class SafetensorsWriter {
    private static final int BUFFER_BYTES = 1 << 20;
    private static final byte PADDING = ' ';
    private static final ObjectWriter JSON = new ObjectMapper().writer();

    private SafetensorsWriter() {}

    /** Writes {@code tensors} as F32; {@code metadata} adds to (or overrides) {@code {"format": "pt"}}. */
    public static void write(Path file, Map<String, NDArray> tensors, Map<String, String> metadata) {
        write(file, tensors, metadata, SafetensorsDtype.F32);
    }

    /**
     * Writes {@code tensors} as {@code dtype}, which is {@link SafetensorsDtype#F32} or {@link SafetensorsDtype#BF16}
     * (rounded to nearest, ties to even). FLOAT32, FLOAT16 and FLOAT64 arrays are accepted; on failure the partial file
     * is deleted.
     */
    public static void write(
            Path file, Map<String, NDArray> tensors, Map<String, String> metadata, SafetensorsDtype dtype) {
        if (dtype != SafetensorsDtype.F32 && dtype != SafetensorsDtype.BF16) {
            throw CheckpointException.at(file, "cannot write dtype " + dtype + "; supported are F32 and BF16");
        }
        Objects.requireNonNull(metadata, "metadata");
        SortedMap<String, NDArray> sorted = new TreeMap<>(tensors);
        byte[] header = encodeHeader(file, sorted, metadata, dtype);
        try (FileChannel channel = FileChannel.open(
                file, StandardOpenOption.WRITE, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING)) {
            LittleEndianChannelWriter out = new LittleEndianChannelWriter(channel, BUFFER_BYTES);
            out.writeBytes(header);
            for (Map.Entry<String, NDArray> entry : sorted.entrySet()) {
                writeTensor(out, entry.getValue(), dtype);
            }
            out.flush();
        } catch (IOException e) {
            deleteAfterFailure(file, e);
            throw CheckpointException.io(file, "cannot write", e);
        } catch (RuntimeException e) {
            deleteAfterFailure(file, e);
            throw e;
        }
    }

    /** The framed header: offsets are assigned in the (sorted) order of {@code tensors}, back to back. */
    private static byte[] encodeHeader(
            Path file, SortedMap<String, NDArray> tensors, Map<String, String> metadata, SafetensorsDtype dtype) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode meta = root.putObject(SafetensorsHeader.METADATA_KEY);
        meta.put("format", "pt");
        metadata.forEach(meta::put);
        long offset = 0;
        for (Map.Entry<String, NDArray> entry : tensors.entrySet()) {
            String name = entry.getKey();
            checkWritable(file, name, entry.getValue());
            long[] shape = entry.getValue().getShape().getShape();
            long bytes = entry.getValue().size() * dtype.byteSize();
            ObjectNode tensor = root.putObject(name);
            tensor.put("dtype", dtype.name());
            ArrayNode dims = tensor.putArray("shape");
            Arrays.stream(shape).forEach(dims::add);
            tensor.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        try {
            return frame(JSON.writeValueAsBytes(root));
        } catch (JsonProcessingException e) {
            throw new CheckpointException(file + ": cannot encode the header: " + e.getOriginalMessage(), e);
        }
    }

    /** Prefixes the u64 length and pads {@code json} with spaces so that the data buffer starts 8-byte aligned. */
    private static byte[] frame(byte[] json) {
        int padded = (json.length + 7) & ~7;
        ByteBuffer header = ByteBuffer.allocate(SafetensorsHeader.LENGTH_PREFIX_BYTES + padded)
                .order(ByteOrder.LITTLE_ENDIAN);
        header.putLong(padded).put(json);
        while (header.hasRemaining()) {
            header.put(PADDING);
        }
        return header.array();
    }

    private static void writeTensor(LittleEndianChannelWriter out, NDArray array, SafetensorsDtype dtype)
            throws IOException {
        float[] values = toFloats(array);
        if (dtype == SafetensorsDtype.BF16) {
            out.writeBf16(values);
        } else {
            out.writeFloats(values);
        }
    }

    private static void checkWritable(Path file, String name, NDArray array) {
        if (name.equals(SafetensorsHeader.METADATA_KEY)) {
            throw CheckpointException.at(file, "tensor name '" + name + "' is reserved for metadata");
        }
        if (array == null) {
            throw CheckpointException.at(file, "tensor '" + name + "' is null");
        }
        DataType type = array.getDataType();
        if (type != DataType.FLOAT32 && type != DataType.FLOAT16 && type != DataType.FLOAT64) {
            // BFLOAT16 is excluded too: converting it aborts the JVM in DJL 0.33's PyTorch engine.
            throw CheckpointException.at(
                    file, "tensor '" + name + "' has type " + type + "; only FLOAT32, FLOAT16 and FLOAT64 are written");
        }
    }

    private static float[] toFloats(NDArray array) {
        if (array.getDataType() == DataType.FLOAT32) {
            return array.toFloatArray();
        }
        try (NDArray converted = array.toType(DataType.FLOAT32, false)) {
            return converted.toFloatArray();
        }
    }

    private static void deleteAfterFailure(Path file, Exception failure) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }
}
