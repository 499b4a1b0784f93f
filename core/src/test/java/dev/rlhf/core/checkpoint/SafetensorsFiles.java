package dev.rlhf.core.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Lays out safetensors files byte by byte, independently of {@link SafetensorsWriter}, for the reader tests. */
final class SafetensorsFiles {
    private SafetensorsFiles() {}

    /** Writes the u64 length of {@code json} plus {@code padding} spaces, the JSON, the spaces, then {@code data}. */
    static Path write(Path file, String json, int padding, byte[] data) throws IOException {
        byte[] header = (json + " ".repeat(padding)).getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(header.length).put(header).put(data);
        return Files.write(file, out.array());
    }

    /** Writes {@code json} unpadded. */
    static Path write(Path file, String json, byte[] data) throws IOException {
        return write(file, json, 0, data);
    }

    /** The spaces that make {@code 8 + len(json) + padding} a multiple of 8, as Hugging Face writers add. */
    static int alignedPadding(String json) {
        int length = json.getBytes(StandardCharsets.UTF_8).length;
        return (8 - length % 8) % 8;
    }

    static ByteBuffer littleEndian(int capacity) {
        return ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN);
    }
}
