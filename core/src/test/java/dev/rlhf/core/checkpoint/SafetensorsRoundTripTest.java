package dev.rlhf.core.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the writer produces reads back bit for bit, in the layout Hugging Face writers produce. */
class SafetensorsRoundTripTest {
    @TempDir
    Path dir;

    private NDManager manager;

    @BeforeEach
    void openManager() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }

    /** Unsorted on purpose; the 600k-element tensor is larger than the writer's 1 MiB buffer. */
    private Map<String, NDArray> tensors() {
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        tensors.put("z.bias", manager.randomNormal(new Shape(7)));
        tensors.put("a.weight", manager.randomNormal(new Shape(3, 4)));
        tensors.put("m.cube", manager.randomNormal(new Shape(2, 3, 5)).mul(1e-3f));
        tensors.put("big", manager.randomUniform(-1f, 1f, new Shape(600, 1000)));
        tensors.put("scalar", manager.create(-0.0f));
        tensors.put("empty", manager.create(new Shape(0, 4), DataType.FLOAT32));
        tensors.put("double", manager.create(new double[] {0.1, -2.5}));
        return tensors;
    }

    @Test
    void f32IsBitIdenticalWithShapesSortedNamesAndMetadata() {
        Map<String, NDArray> tensors = tensors();
        Path file = dir.resolve("model.safetensors");
        SafetensorsWriter.write(file, tensors, Map.of("step", "12"));
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            assertEquals(
                    List.of("a.weight", "big", "double", "empty", "m.cube", "scalar", "z.bias"),
                    List.copyOf(reader.tensors().keySet()));
            assertEquals(Map.of("format", "pt", "step", "12"), reader.metadata());
            for (Map.Entry<String, NDArray> entry : tensors.entrySet()) {
                TensorInfo info = reader.tensor(entry.getKey());
                assertEquals(SafetensorsDtype.F32, info.dtype());
                assertArrayEquals(entry.getValue().getShape().getShape(), info.shape());
                float[] expected =
                        entry.getValue().toType(DataType.FLOAT32, true).toFloatArray();
                assertArrayEquals(expected, reader.readFloats(entry.getKey()));
                NDArray loaded = reader.load(entry.getKey(), manager);
                assertEquals(entry.getValue().getShape(), loaded.getShape());
                assertArrayEquals(expected, loaded.toFloatArray());
            }
        }
    }

    @Test
    void headerIsSpacePaddedTo8BytesAndTensorsArePacked() throws IOException {
        Path file = dir.resolve("model.safetensors");
        SafetensorsWriter.write(file, tensors(), Map.of());
        byte[] bytes = Files.readAllBytes(file);
        long headerLength =
                ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, (8 + headerLength) % 8);
        String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{"), header);
        assertTrue(header.stripTrailing().endsWith("}"), header);
        assertFalse(header.substring(header.stripTrailing().length()).contains("\0"));

        JsonNode root = new ObjectMapper().readTree(header);
        List<String> names = new ArrayList<>();
        long expectedBegin = 0;
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            if (!field.getKey().equals("__metadata__")) {
                names.add(field.getKey());
                assertEquals(
                        expectedBegin,
                        field.getValue().get("data_offsets").get(0).longValue());
                expectedBegin = field.getValue().get("data_offsets").get(1).longValue();
            }
        }
        assertEquals(names.stream().sorted().toList(), names);
        assertEquals(8 + headerLength + expectedBegin, bytes.length);
    }

    @Test
    void float16ArraysAreWidenedExactly() {
        NDArray half = manager.randomNormal(new Shape(3, 5)).toType(DataType.FLOAT16, false);
        Path file = dir.resolve("model.safetensors");
        SafetensorsWriter.write(file, Map.of("h", half), Map.of());
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            assertEquals(SafetensorsDtype.F32, reader.tensor("h").dtype());
            assertArrayEquals(half.toType(DataType.FLOAT32, false).toFloatArray(), reader.readFloats("h"));
        }
    }

    @Test
    void bf16IsRoundedToNearestAndReadsBack() {
        NDArray values = manager.randomNormal(new Shape(4, 1000)).mul(100f);
        Path file = dir.resolve("model.safetensors");
        SafetensorsWriter.write(file, Map.of("w", values), Map.of("step", "3"), SafetensorsDtype.BF16);
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            TensorInfo info = reader.tensor("w");
            assertEquals(SafetensorsDtype.BF16, info.dtype());
            assertEquals(2L * 4 * 1000, info.byteLength());
            float[] original = values.toFloatArray();
            float[] read = reader.readFloats("w");
            for (int i = 0; i < original.length; i++) {
                assertEquals(HalfPrecision.bf16ToFloat(HalfPrecision.floatToBf16(original[i])), read[i]);
                assertTrue(Math.abs(read[i] - original[i]) <= Math.abs(original[i]) * 0x1p-8f, "element " + i);
            }
        }
    }

    @Test
    void refusesIntegerArraysAndLeavesNoFile() {
        Path file = dir.resolve("model.safetensors");
        Map<String, NDArray> tensors = Map.of("ids", manager.create(new long[] {1, 2}));
        CheckpointException e =
                assertThrows(CheckpointException.class, () -> SafetensorsWriter.write(file, tensors, Map.of()));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("'ids'"), e.getMessage());
        assertFalse(Files.exists(file));
    }
}
