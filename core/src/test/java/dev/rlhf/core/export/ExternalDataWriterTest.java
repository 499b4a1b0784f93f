package dev.rlhf.core.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rlhf.core.checkpoint.HalfPrecision;
import dev.rlhf.core.export.onnx.StringStringEntryProto;
import dev.rlhf.core.export.onnx.TensorProto;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tensors spanning several encoding chunks land byte-exact, aligned, where their external_data says. */
class ExternalDataWriterTest {

    @TempDir
    Path dir;

    @Test
    void chunkedTensorsReadBackAtTheirOffsets() throws IOException {
        float[] values = new float[(5 << 19) + 3]; // 2.5 chunks
        Random random = new Random(3);
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        Path file = dir.resolve("model.onnx.data");
        TensorProto.Builder small = TensorProto.newBuilder().setName("small");
        TensorProto.Builder f32 = TensorProto.newBuilder().setName("f32");
        TensorProto.Builder f16 = TensorProto.newBuilder().setName("f16");
        try (ExternalDataWriter writer = new ExternalDataWriter(file, "model.onnx.data")) {
            writer.write(small, new byte[] {1, 2, 3});
            writer.write(f32, values, WeightType.F32);
            writer.write(f16, values, WeightType.F16);
        }
        ByteBuffer data = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(3, data.get((int) offset(small) + 2));
        assertEquals(4096, offset(f32));
        assertEquals((long) values.length * Float.BYTES, length(f32));
        assertEquals(0, offset(f16) % ExternalDataWriter.ALIGNMENT);
        assertEquals((long) values.length * Short.BYTES, length(f16));
        for (int i = 0; i < values.length; i += 997) {
            assertEquals(values[i], data.getFloat((int) offset(f32) + i * Float.BYTES), "f32 element " + i);
            assertEquals(
                    HalfPrecision.floatToF16(values[i]),
                    data.getShort((int) offset(f16) + i * Short.BYTES),
                    "f16 element " + i);
        }
        int last = values.length - 1;
        assertEquals(values[last], data.getFloat((int) offset(f32) + last * Float.BYTES));
        assertEquals(offset(f16) + length(f16), Files.size(file));
    }

    private static long offset(TensorProto.Builder t) {
        return Long.parseLong(entries(t).get("offset"));
    }

    private static long length(TensorProto.Builder t) {
        return Long.parseLong(entries(t).get("length"));
    }

    private static Map<String, String> entries(TensorProto.Builder t) {
        return t.getExternalDataList().stream()
                .collect(Collectors.toMap(StringStringEntryProto::getKey, StringStringEntryProto::getValue));
    }
}
