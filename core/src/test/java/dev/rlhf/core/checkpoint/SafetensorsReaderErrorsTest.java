package dev.rlhf.core.checkpoint;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every malformed file is refused with one message naming the file and the problem. */
class SafetensorsReaderErrorsTest {
    private static final String GOOD_ENTRY = "{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]}";

    @TempDir
    Path dir;

    private Path file;

    private String openFails(String json, byte[] data) throws IOException {
        file = SafetensorsFiles.write(dir.resolve("bad.safetensors"), json, data);
        return openFails();
    }

    private String openFails() {
        CheckpointException e = assertThrows(
                CheckpointException.class, () -> SafetensorsReader.open(file).close());
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        return e.getMessage();
    }

    private static void assertMentions(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), () -> "'" + message + "' should mention '" + part + "'");
        }
    }

    @Test
    void truncatedData() throws IOException {
        String message = openFails("{\"w\":" + GOOD_ENTRY + "}", new byte[20]);
        assertMentions(message, "'w'", "[0, 24]", "20-byte data buffer", "truncated");
    }

    @Test
    void headerLengthLargerThanFile() throws IOException {
        file = dir.resolve("short.safetensors");
        Files.write(file, SafetensorsFiles.littleEndian(18).putLong(1000).array());
        assertMentions(openFails(), "header length 1000", "10 bytes");
    }

    @Test
    void headerLengthWithTheTopBitSet() throws IOException {
        file = dir.resolve("huge.safetensors");
        Files.write(file, SafetensorsFiles.littleEndian(16).putLong(-1L).array());
        assertMentions(openFails(), "header length 18446744073709551615");
    }

    @Test
    void fileShorterThanTheLengthPrefix() throws IOException {
        file = Files.write(dir.resolve("tiny.safetensors"), new byte[] {1, 2, 3});
        assertMentions(openFails(), "3 bytes", "too short");
    }

    @Test
    void headerNotJson() throws IOException {
        assertMentions(openFails("{\"w\": not json", new byte[24]), "not valid JSON");
    }

    @Test
    void headerWithTrailingGarbage() throws IOException {
        assertMentions(openFails("{\"w\":" + GOOD_ENTRY + "} {}", new byte[24]), "not valid JSON");
    }

    @Test
    void headerNotAnObject() throws IOException {
        assertMentions(openFails("[1, 2]", new byte[0]), "must be a JSON object", "ARRAY");
    }

    @Test
    void headerNotUtf8() throws IOException {
        file = dir.resolve("latin1.safetensors");
        byte[] header = {'{', '"', (byte) 0xE9, '"', ':', '{', '}', '}'};
        Files.write(
                file, SafetensorsFiles.littleEndian(16).putLong(8).put(header).array());
        assertMentions(openFails(), "UTF-8");
    }

    @Test
    void unknownDtype() throws IOException {
        String json = "{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[4],\"data_offsets\":[0,4]}}";
        assertMentions(openFails(json, new byte[4]), "'w'", "unknown dtype \"F8_E4M3\"");
    }

    @Test
    void offsetsInconsistentWithShape() throws IOException {
        String json = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,20]}}";
        assertMentions(openFails(json, new byte[24]), "'w'", "hold 20 bytes", "[2, 3]", "needs 24");
    }

    @Test
    void offsetsReversed() throws IOException {
        String json = "{\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,0]}}";
        assertMentions(openFails(json, new byte[8]), "'w'", "[8, 0]");
    }

    @Test
    void negativeOrFractionalShape() throws IOException {
        String negative = "{\"w\":{\"dtype\":\"F32\",\"shape\":[-1,3],\"data_offsets\":[0,12]}}";
        assertMentions(openFails(negative, new byte[12]), "'w'", "\"shape\"", "non-negative integers");
        String fractional = "{\"w\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}";
        assertMentions(openFails(fractional, new byte[4]), "'w'", "\"shape\"");
    }

    @Test
    void missingFields() throws IOException {
        assertMentions(openFails("{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]), "'w'", "\"dtype\"");
        assertMentions(openFails("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", new byte[4]), "'w'", "data_offsets");
        assertMentions(openFails("{\"w\":[1]}", new byte[4]), "'w'", "must be a JSON object");
    }

    @Test
    void overlappingTensors() throws IOException {
        String json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}";
        assertMentions(openFails(json, new byte[16]), "'a'", "'b'", "overlap");
    }

    @Test
    void duplicateTensorNames() throws IOException {
        assertMentions(openFails("{\"w\":" + GOOD_ENTRY + ",\"w\":" + GOOD_ENTRY + "}", new byte[24]), "w");
    }

    @Test
    void metadataNotStrings() throws IOException {
        assertMentions(openFails("{\"__metadata__\":{\"step\":3}}", new byte[0]), "__metadata__", "'step'");
    }

    @Test
    void missingFile() {
        file = dir.resolve("absent.safetensors");
        assertMentions(openFails(), "not found");
    }

    @Test
    void missingTensorName() throws IOException {
        file = SafetensorsFiles.write(dir.resolve("ok.safetensors"), "{\"w\":" + GOOD_ENTRY + "}", new byte[24]);
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            CheckpointException e = assertThrows(CheckpointException.class, () -> reader.readFloats("nope"));
            assertMentions(e.getMessage(), file.toString(), "'nope'");
        }
    }

    @Test
    void floatsOfAnIntegerTensor() throws IOException {
        String json = "{\"ids\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}";
        file = SafetensorsFiles.write(dir.resolve("ids.safetensors"), json, new byte[8]);
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            CheckpointException e = assertThrows(CheckpointException.class, () -> reader.readFloats("ids"));
            assertMentions(e.getMessage(), file.toString(), "'ids'", "I64");
        }
    }

    @Test
    void readAfterClose() throws IOException {
        file = SafetensorsFiles.write(dir.resolve("ok.safetensors"), "{\"w\":" + GOOD_ENTRY + "}", new byte[24]);
        SafetensorsReader reader = SafetensorsReader.open(file);
        reader.close();
        CheckpointException e = assertThrows(CheckpointException.class, () -> reader.readFloats("w"));
        assertMentions(e.getMessage(), file.toString(), "closed", "'w'");
    }
}
