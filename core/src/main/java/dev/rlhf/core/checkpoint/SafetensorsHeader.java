package dev.rlhf.core.checkpoint;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The validated header of a safetensors file.
 *
 * <p>Layout (<a href="https://github.com/huggingface/safetensors#format">safetensors format</a>): an 8-byte
 * little-endian unsigned length {@code N}, then {@code N} bytes of UTF-8 JSON, then the data buffer. The JSON object
 * maps each tensor name to {@code {"dtype", "shape", "data_offsets": [begin, end)}} with offsets relative to the data
 * buffer, plus an optional {@code "__metadata__"} object of strings. Writers pad the JSON with trailing spaces.
 *
 * @param tensors the entries in file order
 * @param metadata the {@code __metadata__} object, empty if absent
 * @param dataStart absolute file offset of the data buffer, {@code 8 + N}
 */
record SafetensorsHeader(Map<String, TensorInfo> tensors, Map<String, String> metadata, long dataStart) {
    static final String METADATA_KEY = "__metadata__";
    static final int LENGTH_PREFIX_BYTES = 8;
    /** Same bound as the reference implementation; it keeps a corrupt length from allocating gigabytes. */
    static final long MAX_HEADER_BYTES = 100_000_000;

    private static final ObjectReader JSON = new ObjectMapper()
            .reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    SafetensorsHeader {
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** Reads and validates the header of {@code file}, open as {@code channel}; every error names the file. */
    static SafetensorsHeader read(Path file, FileChannel channel) throws IOException {
        long fileSize = channel.size();
        if (fileSize < LENGTH_PREFIX_BYTES) {
            throw CheckpointException.at(
                    file, "file has " + fileSize + " bytes, too short for the 8-byte header length");
        }
        long headerLength = readFully(channel, 0, LENGTH_PREFIX_BYTES)
                .order(ByteOrder.LITTLE_ENDIAN)
                .getLong();
        long available = fileSize - LENGTH_PREFIX_BYTES;
        if (headerLength < 0 || headerLength > available) {
            throw CheckpointException.at(
                    file,
                    "header length " + Long.toUnsignedString(headerLength) + " is larger than the " + available
                            + " bytes that follow it; not a safetensors file or truncated");
        }
        if (headerLength > MAX_HEADER_BYTES) {
            throw CheckpointException.at(
                    file, "header length " + headerLength + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes");
        }
        ByteBuffer raw = readFully(channel, LENGTH_PREFIX_BYTES, (int) headerLength);
        JsonNode root = parseJson(file, raw);
        return fromJson(file, root, LENGTH_PREFIX_BYTES + headerLength, available - headerLength);
    }

    private static SafetensorsHeader fromJson(Path file, JsonNode root, long dataStart, long dataSize) {
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = Map.of();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            if (field.getKey().equals(METADATA_KEY)) {
                metadata = parseMetadata(file, field.getValue());
            } else {
                TensorInfo info = SafetensorsHeaderEntry.parse(file, field.getKey(), field.getValue(), dataSize);
                tensors.put(info.name(), info);
            }
        }
        checkNoOverlap(file, tensors.values());
        return new SafetensorsHeader(tensors, metadata, dataStart);
    }

    private static JsonNode parseJson(Path file, ByteBuffer raw) {
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(raw)
                    .toString();
        } catch (CharacterCodingException e) {
            throw CheckpointException.at(file, "header is not valid UTF-8");
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw CheckpointException.at(file, "header is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            String found = root == null || root.isMissingNode()
                    ? "nothing"
                    : root.getNodeType().toString();
            throw CheckpointException.at(file, "header must be a JSON object, found " + found);
        }
        return root;
    }

    private static Map<String, String> parseMetadata(Path file, JsonNode node) {
        if (!node.isObject()) {
            throw CheckpointException.at(file, METADATA_KEY + " must be a JSON object, found " + node.getNodeType());
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if (!field.getValue().isTextual()) {
                throw CheckpointException.at(
                        file,
                        METADATA_KEY + " value of '" + field.getKey() + "' must be a string, found "
                                + field.getValue().getNodeType());
            }
            metadata.put(field.getKey(), field.getValue().textValue());
        }
        return metadata;
    }

    /** Tensors must not share bytes: a writer bug or a crafted file could otherwise alias two parameters. */
    private static void checkNoOverlap(Path file, Iterable<TensorInfo> tensors) {
        List<TensorInfo> sorted = new ArrayList<>();
        tensors.forEach(t -> {
            if (t.byteLength() > 0) {
                sorted.add(t);
            }
        });
        sorted.sort(Comparator.comparingLong(TensorInfo::begin));
        TensorInfo furthest = null;
        for (TensorInfo tensor : sorted) {
            if (furthest != null && tensor.begin() < furthest.end()) {
                throw CheckpointException.at(
                        file,
                        "tensors '" + furthest.name() + "' [" + furthest.begin() + ", " + furthest.end() + ") and '"
                                + tensor.name() + "' [" + tensor.begin() + ", " + tensor.end() + ") overlap");
            }
            if (furthest == null || tensor.end() > furthest.end()) {
                furthest = tensor;
            }
        }
    }

    private static ByteBuffer readFully(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new EOFException("file ended at byte " + (position + buffer.position()));
            }
        }
        return buffer.flip();
    }
}
