package dev.rlhf.proto.triton;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.proto.inference.DataType;
import dev.rlhf.proto.inference.ModelConfig;
import dev.rlhf.proto.inference.ModelDynamicBatching;
import dev.rlhf.proto.inference.ModelInput;
import dev.rlhf.proto.inference.ModelInstanceGroup;
import dev.rlhf.proto.inference.ModelOutput;
import dev.rlhf.proto.inference.ModelParameter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TritonModelConfigsTest {

    /** The reward model as the export writes it: ids + mask in, one reward per sequence out. */
    static ModelConfig rewardModel() {
        return ModelConfig.newBuilder()
                .setName("rm")
                .setBackend("onnxruntime")
                .setMaxBatchSize(8)
                .addInput(ModelInput.newBuilder()
                        .setName("input_ids")
                        .setDataType(DataType.TYPE_INT64)
                        .addDims(-1))
                .addInput(ModelInput.newBuilder()
                        .setName("attention_mask")
                        .setDataType(DataType.TYPE_INT64)
                        .addDims(-1))
                .addOutput(ModelOutput.newBuilder()
                        .setName("rewards")
                        .setDataType(DataType.TYPE_FP32)
                        .addDims(1))
                .addInstanceGroup(ModelInstanceGroup.newBuilder()
                        .setKind(ModelInstanceGroup.Kind.KIND_GPU)
                        .setCount(1))
                .setDynamicBatching(ModelDynamicBatching.newBuilder().setMaxQueueDelayMicroseconds(1000))
                .build();
    }

    @Test
    void pbtxtRoundTrip() {
        String text = TritonModelConfigs.toPbtxt(rewardModel());
        assertTrue(text.contains("max_batch_size: 8"), text);
        assertTrue(text.contains("kind: KIND_GPU"), text);
        assertTrue(text.contains("data_type: TYPE_INT64"), text);
        assertTrue(text.contains("max_queue_delay_microseconds: 1000"), text);
        assertEquals(rewardModel(), TritonModelConfigs.parsePbtxt(text, "rm/config.pbtxt"));
    }

    @Test
    void readsTritonsUsualHandWrittenStyle() {
        String text = """
                name: "ref"
                backend: "onnxruntime"
                max_batch_size: 16
                input [
                  { name: "input_ids", data_type: TYPE_INT64, dims: [ -1 ] },
                  { name: "attention_mask", data_type: TYPE_INT64, dims: [ -1 ] }
                ]
                output [ { name: "logprobs", data_type: TYPE_FP32, dims: [ -1 ] } ]
                instance_group [ { count: 2, kind: KIND_CPU } ]
                dynamic_batching { preferred_batch_size: [ 4, 8 ] }
                parameters { key: "intra_op_thread_count" value: { string_value: "2" } }
                """;
        ModelConfig config = TritonModelConfigs.parsePbtxt(text, "ref/config.pbtxt");
        assertEquals(2, config.getInputCount());
        assertEquals(-1, config.getOutput(0).getDims(0));
        assertEquals(
                ModelInstanceGroup.Kind.KIND_CPU, config.getInstanceGroup(0).getKind());
        assertEquals(8, config.getDynamicBatching().getPreferredBatchSize(1));
        assertEquals(
                ModelParameter.newBuilder().setStringValue("2").build(),
                config.getParametersOrThrow("intra_op_thread_count"));
    }

    @Test
    void aMalformedConfigNamesSourceAndLine() {
        String text = "name: \"rm\"\nmax_batch_size: 8\ninput { name: \"ids\" data_type: TYPE_INT65 }\n";
        ModelConfigParseException e = assertThrows(
                ModelConfigParseException.class, () -> TritonModelConfigs.parsePbtxt(text, "models/rm/config.pbtxt"));
        assertEquals("models/rm/config.pbtxt", e.source());
        assertEquals(3, e.line());
        assertTrue(e.getMessage().startsWith("models/rm/config.pbtxt:3:"), e.getMessage());
        assertTrue(e.getMessage().contains("TYPE_INT65"), e.getMessage());
    }

    @Test
    void aFieldOutsideTheSchemaIsAnErrorNotDropped() {
        String text = "name: \"rm\"\nsequence_batching { }\nsequence_batcher { }\n";
        ModelConfigParseException e = assertThrows(
                ModelConfigParseException.class, () -> TritonModelConfigs.parsePbtxt(text, "rm/config.pbtxt"));
        assertEquals(3, e.line());
        assertTrue(e.getMessage().contains("sequence_batcher"), e.getMessage());
    }

    @Test
    void readsTheWholeUpstreamSchemaWithUint64Priorities() {
        String text = """
                name: "seq"
                sequence_batching {
                  max_sequence_idle_microseconds: 5000000
                  direct { max_queue_delay_microseconds: 100 }
                  control_input { name: "START" control { kind: CONTROL_SEQUENCE_START int32_false_true: [0, 1] } }
                }
                model_warmup { name: "w" batch_size: 1 inputs { key: "ids" value { data_type: TYPE_INT64 dims: 4 zero_data: true } } }
                """;
        ModelConfig config = TritonModelConfigs.parsePbtxt(text, "seq/config.pbtxt");
        assertEquals(ModelConfig.SchedulingChoiceCase.SEQUENCE_BATCHING, config.getSchedulingChoiceCase());
        assertEquals(5_000_000L, config.getSequenceBatching().getMaxSequenceIdleMicroseconds());
        assertEquals(1, config.getModelWarmup(0).getBatchSize());

        ModelConfig batched = TritonModelConfigs.parsePbtxt(
                "name: \"rm\"\ndynamic_batching { priority_levels: 5000000000 default_priority_level: 4294967297 }\n",
                "rm/config.pbtxt");
        assertEquals(5_000_000_000L, batched.getDynamicBatching().getPriorityLevels());
        assertEquals((1L << 32) + 1, batched.getDynamicBatching().getDefaultPriorityLevel());
        assertEquals(batched, TritonModelConfigs.parsePbtxt(TritonModelConfigs.toPbtxt(batched), "again"));
    }

    @Test
    void writeThenRead(@TempDir Path dir) throws IOException {
        Path file = dir.resolve(TritonModelConfigs.FILE_NAME);
        TritonModelConfigs.write(rewardModel(), file);
        TritonModelConfigs.write(rewardModel().toBuilder().setMaxBatchSize(4).build(), file);
        assertEquals(4, TritonModelConfigs.read(file).getMaxBatchSize());
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void errorsFromAFileNameTheFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve(TritonModelConfigs.FILE_NAME);
        Files.writeString(file, "name: \"rm\"\n\nmax_batch_size: eight\n");
        ModelConfigParseException e =
                assertThrows(ModelConfigParseException.class, () -> TritonModelConfigs.read(file));
        assertTrue(e.getMessage().startsWith(file + ":3:"), e.getMessage());
    }

    @Test
    void dataTypesConvertToAndFromTheProtocolNames() {
        assertEquals("INT64", TritonDataTypes.toProtocol(DataType.TYPE_INT64));
        assertEquals("FP32", TritonDataTypes.toProtocol(DataType.TYPE_FP32));
        assertEquals("BYTES", TritonDataTypes.toProtocol(DataType.TYPE_STRING));
        for (DataType type : DataType.values()) {
            if (type != DataType.TYPE_INVALID && type != DataType.UNRECOGNIZED) {
                assertEquals(type, TritonDataTypes.fromProtocol(TritonDataTypes.toProtocol(type)));
            }
        }
        assertThrows(IllegalArgumentException.class, () -> TritonDataTypes.fromProtocol("STRING"));
        assertThrows(IllegalArgumentException.class, () -> TritonDataTypes.fromProtocol("INVALID"));
    }
}
