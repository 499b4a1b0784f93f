package dev.rlhf.core.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Parses and checks one tensor entry of a safetensors header, {@code {"dtype": "F32", "shape": [2, 3],
 * "data_offsets": [begin, end]}}.
 *
 * <p>Besides the syntax, it checks the two facts a reader relies on: the byte range lies inside the data buffer, and
 * its length is exactly {@code product(shape) * sizeof(dtype)}.
 */
final class SafetensorsHeaderEntry {
    private SafetensorsHeaderEntry() {}

    /** The entry {@code name: node} of {@code file}, whose data buffer holds {@code dataSize} bytes. */
    static TensorInfo parse(Path file, String name, JsonNode node, long dataSize) {
        if (!node.isObject()) {
            throw error(file, name, "header entry must be a JSON object, found " + node.getNodeType());
        }
        SafetensorsDtype dtype = parseDtype(file, name, node.get("dtype"));
        long[] shape = parseNonNegativeLongs(file, name, node, "shape", -1);
        long[] offsets = parseNonNegativeLongs(file, name, node, "data_offsets", 2);
        long begin = offsets[0];
        long end = offsets[1];
        String range = "data_offsets [" + begin + ", " + end + "]";
        if (begin > end) {
            throw error(file, name, range + " end before they begin");
        }
        if (end > dataSize) {
            throw error(
                    file,
                    name,
                    range + " run past the end of the " + dataSize
                            + "-byte data buffer; the file is truncated or the header is wrong");
        }
        long expected = expectedBytes(file, name, dtype, shape);
        if (end - begin != expected) {
            throw error(
                    file,
                    name,
                    range + " hold " + (end - begin) + " bytes but shape " + Arrays.toString(shape) + " of " + dtype
                            + " needs " + expected);
        }
        return new TensorInfo(name, dtype, shape, begin, end);
    }

    private static SafetensorsDtype parseDtype(Path file, String name, JsonNode node) {
        if (node == null || !node.isTextual()) {
            throw error(file, name, "\"dtype\" is missing or not a string");
        }
        String text = node.textValue();
        return SafetensorsDtype.fromHeaderName(text)
                .orElseThrow(() -> error(
                        file,
                        name,
                        "unknown dtype \"" + text + "\" (supported: " + Arrays.toString(SafetensorsDtype.values())
                                + ")"));
    }

    /** The array {@code field} of {@code node}; {@code length} is the required length, or -1 for any. */
    private static long[] parseNonNegativeLongs(Path file, String name, JsonNode node, String field, int length) {
        JsonNode array = node.get(field);
        String expectation = length < 0 ? "an array" : "an array of " + length;
        if (array == null || !array.isArray() || (length >= 0 && array.size() != length)) {
            throw error(
                    file, name, "\"" + field + "\" must be " + expectation + " non-negative integers, found " + array);
        }
        long[] values = new long[array.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode element = array.get(i);
            if (!element.isIntegralNumber() || !element.canConvertToLong() || element.longValue() < 0) {
                throw error(file, name, "\"" + field + "\" must hold non-negative integers, found " + array);
            }
            values[i] = element.longValue();
        }
        return values;
    }

    private static long expectedBytes(Path file, String name, SafetensorsDtype dtype, long[] shape) {
        for (long dim : shape) {
            if (dim == 0) {
                return 0;
            }
        }
        try {
            long bytes = dtype.byteSize();
            for (long dim : shape) {
                bytes = Math.multiplyExact(bytes, dim);
            }
            return bytes;
        } catch (ArithmeticException e) {
            throw error(file, name, "shape " + Arrays.toString(shape) + " is too large to address");
        }
    }

    private static CheckpointException error(Path file, String name, String problem) {
        return CheckpointException.at(file, "tensor '" + name + "': " + problem);
    }
}
