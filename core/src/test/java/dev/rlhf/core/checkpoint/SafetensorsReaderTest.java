package dev.rlhf.core.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reads files laid out by hand, so that a reader bug cannot be hidden by the same bug in the writer. */
class SafetensorsReaderTest {
    private static final float[] WEIGHT = {0.5f, -1.25f, 3f, 1e-30f, Float.MIN_VALUE, -7f};

    /** Header deliberately unsorted, with a 2-byte gap before the I64 tensor. */
    private static final String HEADER = "{\"weight\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]},"
            + "\"__metadata__\":{\"format\":\"pt\",\"step\":\"42\"},"
            + "\"brain\":{\"dtype\":\"BF16\",\"shape\":[3],\"data_offsets\":[24,30]},"
            + "\"half\":{\"dtype\":\"F16\",\"shape\":[2,2],\"data_offsets\":[30,38]},"
            + "\"ids\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[40,56]}}";

    @TempDir
    Path dir;

    private static byte[] data() {
        ByteBuffer data = SafetensorsFiles.littleEndian(56);
        for (float value : WEIGHT) {
            data.putFloat(value);
        }
        // bfloat16 of 1.0, -2.5 and 3.140625, computed by hand from their binary32 bits.
        data.putShort((short) 0x3F80).putShort((short) 0xC020).putShort((short) 0x4049);
        // binary16 of 1.0, -2.0, 65504 (largest finite) and 2^-24 (smallest subnormal).
        data.putShort((short) 0x3C00)
                .putShort((short) 0xC000)
                .putShort((short) 0x7BFF)
                .putShort((short) 0x0001);
        data.putShort((short) 0x7777);
        data.putLong(1L << 40).putLong(-3L);
        return data.array();
    }

    @ParameterizedTest(name = "padding {0}")
    @ValueSource(ints = {0, -1, 21})
    void parsesOffsetsShapesAndMetadata(int padding) throws IOException {
        int spaces = padding < 0 ? SafetensorsFiles.alignedPadding(HEADER) : padding;
        Path file = SafetensorsFiles.write(dir.resolve("model.safetensors"), HEADER, spaces, data());
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            assertEquals(
                    List.of("weight", "brain", "half", "ids"),
                    List.copyOf(reader.tensors().keySet()));
            assertEquals(
                    new TensorInfo("weight", SafetensorsDtype.F32, new long[] {2, 3}, 0, 24), reader.tensor("weight"));
            assertEquals(
                    new TensorInfo("brain", SafetensorsDtype.BF16, new long[] {3}, 24, 30), reader.tensor("brain"));
            assertEquals(
                    new TensorInfo("half", SafetensorsDtype.F16, new long[] {2, 2}, 30, 38), reader.tensor("half"));
            assertEquals(new TensorInfo("ids", SafetensorsDtype.I64, new long[] {2}, 40, 56), reader.tensor("ids"));
            assertEquals(Map.of("format", "pt", "step", "42"), reader.metadata());
        }
    }

    @Test
    void readsExactValues() throws IOException {
        Path file = SafetensorsFiles.write(dir.resolve("model.safetensors"), HEADER, data());
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            assertArrayEquals(WEIGHT, reader.readFloats("weight"));
            assertArrayEquals(new float[] {1.0f, -2.5f, 3.140625f}, reader.readFloats("brain"));
            assertArrayEquals(new float[] {1.0f, -2.0f, 65504f, 0x1p-24f}, reader.readFloats("half"));
        }
    }

    @Test
    void readsAcrossManySmallChunks() throws IOException {
        Path file = SafetensorsFiles.write(dir.resolve("model.safetensors"), HEADER, data());
        try (SafetensorsReader reader = SafetensorsReader.open(file, 8)) {
            assertArrayEquals(WEIGHT, reader.readFloats("weight"));
            assertArrayEquals(new float[] {1.0f, -2.5f, 3.140625f}, reader.readFloats("brain"));
            assertArrayEquals(new float[] {1.0f, -2.0f, 65504f, 0x1p-24f}, reader.readFloats("half"));
        }
    }

    @Test
    void convertsF64() throws IOException {
        String json = "{\"d\":{\"dtype\":\"F64\",\"shape\":[3],\"data_offsets\":[0,24]}}";
        byte[] data = SafetensorsFiles.littleEndian(24)
                .putDouble(0.1)
                .putDouble(-1e300)
                .putDouble(2.5)
                .array();
        try (SafetensorsReader reader = SafetensorsReader.open(SafetensorsFiles.write(dir.resolve("d"), json, data))) {
            assertArrayEquals(new float[] {0.1f, Float.NEGATIVE_INFINITY, 2.5f}, reader.readFloats("d"));
        }
    }

    @Test
    void readsEmptyAndScalarTensors() throws IOException {
        String json = "{\"empty\":{\"dtype\":\"F32\",\"shape\":[0,4],\"data_offsets\":[0,0]},"
                + "\"scalar\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]}}";
        byte[] data = SafetensorsFiles.littleEndian(4).putFloat(9.5f).array();
        Path file = SafetensorsFiles.write(dir.resolve("s"), json, data);
        try (SafetensorsReader reader = SafetensorsReader.open(file);
                NDManager manager = NDManager.newBaseManager()) {
            assertArrayEquals(new float[0], reader.readFloats("empty"));
            assertEquals(new Shape(0, 4), reader.load("empty", manager).getShape());
            NDArray scalar = reader.load("scalar", manager);
            assertEquals(new Shape(), scalar.getShape());
            assertEquals(9.5f, scalar.getFloat());
        }
    }

    @Test
    void loadsFloatsAsFloat32NdArraysOfTheirShape() throws IOException {
        Path file = SafetensorsFiles.write(dir.resolve("model.safetensors"), HEADER, data());
        try (SafetensorsReader reader = SafetensorsReader.open(file);
                NDManager manager = NDManager.newBaseManager()) {
            NDArray weight = reader.load("weight", manager);
            assertEquals(DataType.FLOAT32, weight.getDataType());
            assertEquals(new Shape(2, 3), weight.getShape());
            assertArrayEquals(WEIGHT, weight.toFloatArray());
            NDArray half = reader.load("half", manager);
            assertEquals(DataType.FLOAT32, half.getDataType());
            assertEquals(new Shape(2, 2), half.getShape());
            assertArrayEquals(new float[] {1.0f, -2.0f, 65504f, 0x1p-24f}, half.toFloatArray());
        }
    }

    /**
     * A parameter is filled block of rows by block of rows: 8-byte chunks give one-row blocks for F32 rows of 3 (each
     * row read in two chunks) and for BF16 / F16 sources widened on the way; every element lands in its place.
     */
    @ParameterizedTest(name = "chunk {0} bytes")
    @ValueSource(ints = {8, 16, SafetensorsReader.MAX_CHUNK_BYTES})
    void copiesIntoATargetBlockByBlock(int chunkBytes) throws IOException {
        Path file = SafetensorsFiles.write(dir.resolve("model.safetensors"), HEADER, data());
        try (SafetensorsReader reader = SafetensorsReader.open(file, chunkBytes);
                NDManager manager = NDManager.newBaseManager()) {
            NDArray weight = manager.full(new Shape(2, 3), 42f);
            reader.copyInto("weight", weight);
            assertArrayEquals(WEIGHT, weight.toFloatArray());
            NDArray half = manager.full(new Shape(2, 2), 42f);
            reader.copyInto("half", half);
            assertArrayEquals(new float[] {1.0f, -2.0f, 65504f, 0x1p-24f}, half.toFloatArray());
            NDArray brain = manager.full(new Shape(3), 42f);
            reader.copyInto("brain", brain);
            assertArrayEquals(new float[] {1.0f, -2.5f, 3.140625f}, brain.toFloatArray());
        }
    }

    @Test
    void refusesToCopyIntoATargetOfAnotherShape() throws IOException {
        Path file = SafetensorsFiles.write(dir.resolve("model.safetensors"), HEADER, data());
        try (SafetensorsReader reader = SafetensorsReader.open(file);
                NDManager manager = NDManager.newBaseManager()) {
            NDArray target = manager.zeros(new Shape(3, 2));
            CheckpointException e = assertThrows(CheckpointException.class, () -> reader.copyInto("weight", target));
            assertEquals(file + ": tensor 'weight' has shape [2, 3] but its target has (3, 2)", e.getMessage());
            assertArrayEquals(new float[6], target.toFloatArray());
        }
    }

    @Test
    void loadsIntegerAndBooleanTensorsExactly() throws IOException {
        String json = "{\"i64\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[0,16]},"
                + "\"i32\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[16,24]},"
                + "\"u8\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[24,26]},"
                + "\"i8\":{\"dtype\":\"I8\",\"shape\":[2],\"data_offsets\":[26,28]},"
                + "\"mask\":{\"dtype\":\"BOOL\",\"shape\":[2],\"data_offsets\":[28,30]}}";
        ByteBuffer data = SafetensorsFiles.littleEndian(30);
        data.putLong(1L << 40).putLong(-3L).putInt(Integer.MIN_VALUE).putInt(7);
        data.put((byte) 200)
                .put((byte) 1)
                .put((byte) -5)
                .put((byte) 127)
                .put((byte) 1)
                .put((byte) 0);
        Path file = SafetensorsFiles.write(dir.resolve("ints"), json, data.array());
        try (SafetensorsReader reader = SafetensorsReader.open(file);
                NDManager manager = NDManager.newBaseManager()) {
            NDArray i64 = reader.load("i64", manager);
            assertEquals(DataType.INT64, i64.getDataType());
            assertArrayEquals(new long[] {1L << 40, -3L}, i64.toLongArray());
            assertArrayEquals(
                    new int[] {Integer.MIN_VALUE, 7},
                    reader.load("i32", manager).toIntArray());
            assertArrayEquals(new int[] {200, 1}, reader.load("u8", manager).toUint8Array());
            assertArrayEquals(new byte[] {-5, 127}, reader.load("i8", manager).toByteArray());
            assertArrayEquals(
                    new boolean[] {true, false}, reader.load("mask", manager).toBooleanArray());
        }
    }

    @Test
    void refusesToLoadI16WhichCrashesTheEngine() throws IOException {
        String json = "{\"s\":{\"dtype\":\"I16\",\"shape\":[2],\"data_offsets\":[0,4]}}";
        Path file = SafetensorsFiles.write(dir.resolve("i16"), json, new byte[4]);
        try (SafetensorsReader reader = SafetensorsReader.open(file);
                NDManager manager = NDManager.newBaseManager()) {
            CheckpointException e = assertThrows(CheckpointException.class, () -> reader.load("s", manager));
            assertTrue(e.getMessage().startsWith(file + ": tensor 's': dtype I16"), e.getMessage());
        }
    }

    @Test
    void readsAFileWrittenWithoutMetadata() throws IOException {
        String json = "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        Path file = SafetensorsFiles.write(
                dir.resolve("w"),
                json,
                SafetensorsFiles.littleEndian(4).putFloat(1f).array());
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            assertTrue(reader.metadata().isEmpty());
            assertTrue(Files.size(file) > 8);
        }
    }
}
