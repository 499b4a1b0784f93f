package dev.rlhf.proto.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Pins the {@code inference} schema (grpc_service.proto, model_config.proto) field for field: every field of every
 * message, with its number, type and label, as upstream Triton defines it (triton-inference-server/common,
 * protobuf/; the commit compared is in proto/README.md). The table is checked against the descriptors of the
 * generated classes, so a renumbered, retyped or relabelled field fails here, and so does a field added or removed
 * without updating the table.
 *
 * <p>Columns: message (without the {@code inference.} package) | field | number | type | label. Type is the proto
 * scalar name, a message or enum name, or {@code map<K, V>}; label is {@code singular}, {@code repeated}, {@code map}
 * or {@code oneof <name>}.
 */
class InferenceSchemaTest {

    private static final String FIELDS = """
            ModelRateLimiter | resources | 1 | ModelRateLimiter.Resource | repeated
            ModelRateLimiter | priority | 2 | uint32 | singular

            ModelRateLimiter.Resource | name | 1 | string | singular
            ModelRateLimiter.Resource | global | 2 | bool | singular
            ModelRateLimiter.Resource | count | 3 | uint32 | singular

            ModelInstanceGroup | name | 1 | string | singular
            ModelInstanceGroup | count | 2 | int32 | singular
            ModelInstanceGroup | gpus | 3 | int32 | repeated
            ModelInstanceGroup | kind | 4 | ModelInstanceGroup.Kind | singular
            ModelInstanceGroup | profile | 5 | string | repeated
            ModelInstanceGroup | rate_limiter | 6 | ModelRateLimiter | singular
            ModelInstanceGroup | passive | 7 | bool | singular
            ModelInstanceGroup | secondary_devices | 8 | ModelInstanceGroup.SecondaryDevice | repeated
            ModelInstanceGroup | host_policy | 9 | string | singular

            ModelInstanceGroup.SecondaryDevice | kind | 1 | ModelInstanceGroup.SecondaryDevice.SecondaryDeviceKind | singular
            ModelInstanceGroup.SecondaryDevice | device_id | 2 | int64 | singular

            ModelTensorReshape | shape | 1 | int64 | repeated

            ModelInput | name | 1 | string | singular
            ModelInput | data_type | 2 | DataType | singular
            ModelInput | format | 3 | ModelInput.Format | singular
            ModelInput | dims | 4 | int64 | repeated
            ModelInput | reshape | 5 | ModelTensorReshape | singular
            ModelInput | is_shape_tensor | 6 | bool | singular
            ModelInput | allow_ragged_batch | 7 | bool | singular
            ModelInput | optional | 8 | bool | singular

            ModelOutput | name | 1 | string | singular
            ModelOutput | data_type | 2 | DataType | singular
            ModelOutput | dims | 3 | int64 | repeated
            ModelOutput | label_filename | 4 | string | singular
            ModelOutput | reshape | 5 | ModelTensorReshape | singular
            ModelOutput | is_shape_tensor | 6 | bool | singular

            BatchInput | kind | 1 | BatchInput.Kind | singular
            BatchInput | target_name | 2 | string | repeated
            BatchInput | data_type | 3 | DataType | singular
            BatchInput | source_input | 4 | string | repeated

            BatchOutput | target_name | 1 | string | repeated
            BatchOutput | kind | 2 | BatchOutput.Kind | singular
            BatchOutput | source_input | 3 | string | repeated

            ModelVersionPolicy | latest | 1 | ModelVersionPolicy.Latest | oneof policy_choice
            ModelVersionPolicy | all | 2 | ModelVersionPolicy.All | oneof policy_choice
            ModelVersionPolicy | specific | 3 | ModelVersionPolicy.Specific | oneof policy_choice

            ModelVersionPolicy.Latest | num_versions | 1 | uint32 | singular

            ModelVersionPolicy.Specific | versions | 1 | int64 | repeated

            ModelOptimizationPolicy | graph | 1 | ModelOptimizationPolicy.Graph | singular
            ModelOptimizationPolicy | priority | 2 | ModelOptimizationPolicy.ModelPriority | singular
            ModelOptimizationPolicy | cuda | 3 | ModelOptimizationPolicy.Cuda | singular
            ModelOptimizationPolicy | execution_accelerators | 4 | ModelOptimizationPolicy.ExecutionAccelerators | singular
            ModelOptimizationPolicy | input_pinned_memory | 5 | ModelOptimizationPolicy.PinnedMemoryBuffer | singular
            ModelOptimizationPolicy | output_pinned_memory | 6 | ModelOptimizationPolicy.PinnedMemoryBuffer | singular
            ModelOptimizationPolicy | gather_kernel_buffer_threshold | 7 | uint32 | singular
            ModelOptimizationPolicy | eager_batching | 8 | bool | singular

            ModelOptimizationPolicy.Graph | level | 1 | int32 | singular

            ModelOptimizationPolicy.Cuda | graphs | 1 | bool | singular
            ModelOptimizationPolicy.Cuda | busy_wait_events | 2 | bool | singular
            ModelOptimizationPolicy.Cuda | graph_spec | 3 | ModelOptimizationPolicy.Cuda.GraphSpec | repeated
            ModelOptimizationPolicy.Cuda | output_copy_stream | 4 | bool | singular

            ModelOptimizationPolicy.Cuda.GraphSpec | batch_size | 1 | int32 | singular
            ModelOptimizationPolicy.Cuda.GraphSpec | input | 2 | map<string, ModelOptimizationPolicy.Cuda.GraphSpec.Shape> | map
            ModelOptimizationPolicy.Cuda.GraphSpec | graph_lower_bound | 3 | ModelOptimizationPolicy.Cuda.GraphSpec.LowerBound | singular

            ModelOptimizationPolicy.Cuda.GraphSpec.Shape | dim | 1 | int64 | repeated

            ModelOptimizationPolicy.Cuda.GraphSpec.LowerBound | batch_size | 1 | int32 | singular
            ModelOptimizationPolicy.Cuda.GraphSpec.LowerBound | input | 2 | map<string, ModelOptimizationPolicy.Cuda.GraphSpec.Shape> | map

            ModelOptimizationPolicy.ExecutionAccelerators | gpu_execution_accelerator | 1 | ModelOptimizationPolicy.ExecutionAccelerators.Accelerator | repeated
            ModelOptimizationPolicy.ExecutionAccelerators | cpu_execution_accelerator | 2 | ModelOptimizationPolicy.ExecutionAccelerators.Accelerator | repeated

            ModelOptimizationPolicy.ExecutionAccelerators.Accelerator | name | 1 | string | singular
            ModelOptimizationPolicy.ExecutionAccelerators.Accelerator | parameters | 2 | map<string, string> | map

            ModelOptimizationPolicy.PinnedMemoryBuffer | enable | 1 | bool | singular

            ModelQueuePolicy | timeout_action | 1 | ModelQueuePolicy.TimeoutAction | singular
            ModelQueuePolicy | default_timeout_microseconds | 2 | uint64 | singular
            ModelQueuePolicy | allow_timeout_override | 3 | bool | singular
            ModelQueuePolicy | max_queue_size | 4 | uint32 | singular

            ModelDynamicBatching | preferred_batch_size | 1 | int32 | repeated
            ModelDynamicBatching | max_queue_delay_microseconds | 2 | uint64 | singular
            ModelDynamicBatching | preserve_ordering | 3 | bool | singular
            ModelDynamicBatching | priority_levels | 4 | uint64 | singular
            ModelDynamicBatching | default_priority_level | 5 | uint64 | singular
            ModelDynamicBatching | default_queue_policy | 6 | ModelQueuePolicy | singular
            ModelDynamicBatching | priority_queue_policy | 7 | map<uint64, ModelQueuePolicy> | map

            ModelSequenceBatching | direct | 3 | ModelSequenceBatching.StrategyDirect | oneof strategy_choice
            ModelSequenceBatching | oldest | 4 | ModelSequenceBatching.StrategyOldest | oneof strategy_choice
            ModelSequenceBatching | max_sequence_idle_microseconds | 1 | uint64 | singular
            ModelSequenceBatching | control_input | 2 | ModelSequenceBatching.ControlInput | repeated
            ModelSequenceBatching | state | 5 | ModelSequenceBatching.State | repeated

            ModelSequenceBatching.Control | kind | 1 | ModelSequenceBatching.Control.Kind | singular
            ModelSequenceBatching.Control | int32_false_true | 2 | int32 | repeated
            ModelSequenceBatching.Control | fp32_false_true | 3 | float | repeated
            ModelSequenceBatching.Control | data_type | 4 | DataType | singular
            ModelSequenceBatching.Control | bool_false_true | 5 | bool | repeated

            ModelSequenceBatching.ControlInput | name | 1 | string | singular
            ModelSequenceBatching.ControlInput | control | 2 | ModelSequenceBatching.Control | repeated

            ModelSequenceBatching.InitialState | data_type | 1 | DataType | singular
            ModelSequenceBatching.InitialState | dims | 2 | int64 | repeated
            ModelSequenceBatching.InitialState | zero_data | 3 | bool | oneof state_data
            ModelSequenceBatching.InitialState | data_file | 4 | string | oneof state_data
            ModelSequenceBatching.InitialState | name | 5 | string | singular

            ModelSequenceBatching.State | input_name | 1 | string | singular
            ModelSequenceBatching.State | output_name | 2 | string | singular
            ModelSequenceBatching.State | data_type | 3 | DataType | singular
            ModelSequenceBatching.State | dims | 4 | int64 | repeated
            ModelSequenceBatching.State | initial_state | 5 | ModelSequenceBatching.InitialState | repeated

            ModelSequenceBatching.StrategyDirect | max_queue_delay_microseconds | 1 | uint64 | singular
            ModelSequenceBatching.StrategyDirect | minimum_slot_utilization | 2 | float | singular

            ModelSequenceBatching.StrategyOldest | max_candidate_sequences | 1 | int32 | singular
            ModelSequenceBatching.StrategyOldest | preferred_batch_size | 2 | int32 | repeated
            ModelSequenceBatching.StrategyOldest | max_queue_delay_microseconds | 3 | uint64 | singular

            ModelEnsembling | step | 1 | ModelEnsembling.Step | repeated

            ModelEnsembling.Step | model_name | 1 | string | singular
            ModelEnsembling.Step | model_version | 2 | int64 | singular
            ModelEnsembling.Step | input_map | 3 | map<string, string> | map
            ModelEnsembling.Step | output_map | 4 | map<string, string> | map
            ModelEnsembling.Step | model_namespace | 5 | string | singular

            ModelParameter | string_value | 1 | string | singular

            ModelWarmup | name | 1 | string | singular
            ModelWarmup | batch_size | 2 | uint32 | singular
            ModelWarmup | inputs | 3 | map<string, ModelWarmup.Input> | map
            ModelWarmup | count | 4 | uint32 | singular

            ModelWarmup.Input | data_type | 1 | DataType | singular
            ModelWarmup.Input | dims | 2 | int64 | repeated
            ModelWarmup.Input | zero_data | 3 | bool | oneof input_data_type
            ModelWarmup.Input | random_data | 4 | bool | oneof input_data_type
            ModelWarmup.Input | input_data_file | 5 | string | oneof input_data_type

            ModelOperations | op_library_filename | 1 | string | repeated

            ModelTransactionPolicy | decoupled | 1 | bool | singular

            ModelRepositoryAgents | agents | 1 | ModelRepositoryAgents.Agent | repeated

            ModelRepositoryAgents.Agent | name | 1 | string | singular
            ModelRepositoryAgents.Agent | parameters | 2 | map<string, string> | map

            ModelResponseCache | enable | 1 | bool | singular

            ModelConfig | name | 1 | string | singular
            ModelConfig | platform | 2 | string | singular
            ModelConfig | version_policy | 3 | ModelVersionPolicy | singular
            ModelConfig | max_batch_size | 4 | int32 | singular
            ModelConfig | input | 5 | ModelInput | repeated
            ModelConfig | output | 6 | ModelOutput | repeated
            ModelConfig | instance_group | 7 | ModelInstanceGroup | repeated
            ModelConfig | default_model_filename | 8 | string | singular
            ModelConfig | cc_model_filenames | 9 | map<string, string> | map
            ModelConfig | metric_tags | 10 | map<string, string> | map
            ModelConfig | dynamic_batching | 11 | ModelDynamicBatching | oneof scheduling_choice
            ModelConfig | sequence_batching | 13 | ModelSequenceBatching | oneof scheduling_choice
            ModelConfig | ensemble_scheduling | 15 | ModelEnsembling | oneof scheduling_choice
            ModelConfig | optimization | 12 | ModelOptimizationPolicy | singular
            ModelConfig | parameters | 14 | map<string, ModelParameter> | map
            ModelConfig | model_warmup | 16 | ModelWarmup | repeated
            ModelConfig | backend | 17 | string | singular
            ModelConfig | model_operations | 18 | ModelOperations | singular
            ModelConfig | model_transaction_policy | 19 | ModelTransactionPolicy | singular
            ModelConfig | batch_input | 20 | BatchInput | repeated
            ModelConfig | batch_output | 21 | BatchOutput | repeated
            ModelConfig | model_repository_agents | 23 | ModelRepositoryAgents | singular
            ModelConfig | response_cache | 24 | ModelResponseCache | singular

            ServerLiveResponse | live | 1 | bool | singular

            ServerReadyResponse | ready | 1 | bool | singular

            ModelReadyRequest | name | 1 | string | singular
            ModelReadyRequest | version | 2 | string | singular

            ModelReadyResponse | ready | 1 | bool | singular

            ServerMetadataResponse | name | 1 | string | singular
            ServerMetadataResponse | version | 2 | string | singular
            ServerMetadataResponse | extensions | 3 | string | repeated

            ModelMetadataRequest | name | 1 | string | singular
            ModelMetadataRequest | version | 2 | string | singular

            ModelMetadataResponse | name | 1 | string | singular
            ModelMetadataResponse | versions | 2 | string | repeated
            ModelMetadataResponse | platform | 3 | string | singular
            ModelMetadataResponse | inputs | 4 | ModelMetadataResponse.TensorMetadata | repeated
            ModelMetadataResponse | outputs | 5 | ModelMetadataResponse.TensorMetadata | repeated

            ModelMetadataResponse.TensorMetadata | name | 1 | string | singular
            ModelMetadataResponse.TensorMetadata | datatype | 2 | string | singular
            ModelMetadataResponse.TensorMetadata | shape | 3 | int64 | repeated

            InferParameter | bool_param | 1 | bool | oneof parameter_choice
            InferParameter | int64_param | 2 | int64 | oneof parameter_choice
            InferParameter | string_param | 3 | string | oneof parameter_choice
            InferParameter | double_param | 4 | double | oneof parameter_choice
            InferParameter | uint64_param | 5 | uint64 | oneof parameter_choice

            InferTensorContents | bool_contents | 1 | bool | repeated
            InferTensorContents | int_contents | 2 | int32 | repeated
            InferTensorContents | int64_contents | 3 | int64 | repeated
            InferTensorContents | uint_contents | 4 | uint32 | repeated
            InferTensorContents | uint64_contents | 5 | uint64 | repeated
            InferTensorContents | fp32_contents | 6 | float | repeated
            InferTensorContents | fp64_contents | 7 | double | repeated
            InferTensorContents | bytes_contents | 8 | bytes | repeated

            ModelInferRequest | model_name | 1 | string | singular
            ModelInferRequest | model_version | 2 | string | singular
            ModelInferRequest | id | 3 | string | singular
            ModelInferRequest | parameters | 4 | map<string, InferParameter> | map
            ModelInferRequest | inputs | 5 | ModelInferRequest.InferInputTensor | repeated
            ModelInferRequest | outputs | 6 | ModelInferRequest.InferRequestedOutputTensor | repeated
            ModelInferRequest | raw_input_contents | 7 | bytes | repeated

            ModelInferRequest.InferInputTensor | name | 1 | string | singular
            ModelInferRequest.InferInputTensor | datatype | 2 | string | singular
            ModelInferRequest.InferInputTensor | shape | 3 | int64 | repeated
            ModelInferRequest.InferInputTensor | parameters | 4 | map<string, InferParameter> | map
            ModelInferRequest.InferInputTensor | contents | 5 | InferTensorContents | singular

            ModelInferRequest.InferRequestedOutputTensor | name | 1 | string | singular
            ModelInferRequest.InferRequestedOutputTensor | parameters | 2 | map<string, InferParameter> | map

            ModelInferResponse | model_name | 1 | string | singular
            ModelInferResponse | model_version | 2 | string | singular
            ModelInferResponse | id | 3 | string | singular
            ModelInferResponse | parameters | 4 | map<string, InferParameter> | map
            ModelInferResponse | outputs | 5 | ModelInferResponse.InferOutputTensor | repeated
            ModelInferResponse | raw_output_contents | 6 | bytes | repeated

            ModelInferResponse.InferOutputTensor | name | 1 | string | singular
            ModelInferResponse.InferOutputTensor | datatype | 2 | string | singular
            ModelInferResponse.InferOutputTensor | shape | 3 | int64 | repeated
            ModelInferResponse.InferOutputTensor | parameters | 4 | map<string, InferParameter> | map
            ModelInferResponse.InferOutputTensor | contents | 5 | InferTensorContents | singular

            ModelStreamInferResponse | error_message | 1 | string | singular
            ModelStreamInferResponse | infer_response | 2 | ModelInferResponse | singular

            ModelConfigRequest | name | 1 | string | singular
            ModelConfigRequest | version | 2 | string | singular

            ModelConfigResponse | config | 1 | ModelConfig | singular

            ModelStatisticsRequest | name | 1 | string | singular
            ModelStatisticsRequest | version | 2 | string | singular

            StatisticDuration | count | 1 | uint64 | singular
            StatisticDuration | ns | 2 | uint64 | singular

            InferStatistics | success | 1 | StatisticDuration | singular
            InferStatistics | fail | 2 | StatisticDuration | singular
            InferStatistics | queue | 3 | StatisticDuration | singular
            InferStatistics | compute_input | 4 | StatisticDuration | singular
            InferStatistics | compute_infer | 5 | StatisticDuration | singular
            InferStatistics | compute_output | 6 | StatisticDuration | singular
            InferStatistics | cache_hit | 7 | StatisticDuration | singular
            InferStatistics | cache_miss | 8 | StatisticDuration | singular

            InferBatchStatistics | batch_size | 1 | uint64 | singular
            InferBatchStatistics | compute_input | 2 | StatisticDuration | singular
            InferBatchStatistics | compute_infer | 3 | StatisticDuration | singular
            InferBatchStatistics | compute_output | 4 | StatisticDuration | singular

            MemoryUsage | type | 1 | string | singular
            MemoryUsage | id | 2 | int64 | singular
            MemoryUsage | byte_size | 3 | uint64 | singular

            ModelStatistics | name | 1 | string | singular
            ModelStatistics | version | 2 | string | singular
            ModelStatistics | last_inference | 3 | uint64 | singular
            ModelStatistics | inference_count | 4 | uint64 | singular
            ModelStatistics | execution_count | 5 | uint64 | singular
            ModelStatistics | inference_stats | 6 | InferStatistics | singular
            ModelStatistics | batch_stats | 7 | InferBatchStatistics | repeated
            ModelStatistics | memory_usage | 8 | MemoryUsage | repeated
            ModelStatistics | response_stats | 9 | map<string, InferResponseStatistics> | map

            InferResponseStatistics | compute_infer | 1 | StatisticDuration | singular
            InferResponseStatistics | compute_output | 2 | StatisticDuration | singular
            InferResponseStatistics | success | 3 | StatisticDuration | singular
            InferResponseStatistics | fail | 4 | StatisticDuration | singular
            InferResponseStatistics | empty_response | 5 | StatisticDuration | singular
            InferResponseStatistics | cancel | 6 | StatisticDuration | singular

            ModelStatisticsResponse | model_stats | 1 | ModelStatistics | repeated

            ModelRepositoryParameter | bool_param | 1 | bool | oneof parameter_choice
            ModelRepositoryParameter | int64_param | 2 | int64 | oneof parameter_choice
            ModelRepositoryParameter | string_param | 3 | string | oneof parameter_choice
            ModelRepositoryParameter | bytes_param | 4 | bytes | oneof parameter_choice

            RepositoryIndexRequest | repository_name | 1 | string | singular
            RepositoryIndexRequest | ready | 2 | bool | singular

            RepositoryIndexResponse | models | 1 | RepositoryIndexResponse.ModelIndex | repeated

            RepositoryIndexResponse.ModelIndex | name | 1 | string | singular
            RepositoryIndexResponse.ModelIndex | version | 2 | string | singular
            RepositoryIndexResponse.ModelIndex | state | 3 | string | singular
            RepositoryIndexResponse.ModelIndex | reason | 4 | string | singular

            RepositoryModelLoadRequest | repository_name | 1 | string | singular
            RepositoryModelLoadRequest | model_name | 2 | string | singular
            RepositoryModelLoadRequest | parameters | 3 | map<string, ModelRepositoryParameter> | map

            RepositoryModelUnloadRequest | repository_name | 1 | string | singular
            RepositoryModelUnloadRequest | model_name | 2 | string | singular
            RepositoryModelUnloadRequest | parameters | 3 | map<string, ModelRepositoryParameter> | map
            """;

    /** enum | value | number. */
    private static final String ENUM_VALUES = """
            DataType | TYPE_INVALID | 0
            DataType | TYPE_BOOL | 1
            DataType | TYPE_UINT8 | 2
            DataType | TYPE_UINT16 | 3
            DataType | TYPE_UINT32 | 4
            DataType | TYPE_UINT64 | 5
            DataType | TYPE_INT8 | 6
            DataType | TYPE_INT16 | 7
            DataType | TYPE_INT32 | 8
            DataType | TYPE_INT64 | 9
            DataType | TYPE_FP16 | 10
            DataType | TYPE_FP32 | 11
            DataType | TYPE_FP64 | 12
            DataType | TYPE_STRING | 13
            DataType | TYPE_BF16 | 14

            ModelInstanceGroup.Kind | KIND_AUTO | 0
            ModelInstanceGroup.Kind | KIND_GPU | 1
            ModelInstanceGroup.Kind | KIND_CPU | 2
            ModelInstanceGroup.Kind | KIND_MODEL | 3

            ModelInstanceGroup.SecondaryDevice.SecondaryDeviceKind | KIND_NVDLA | 0

            ModelInput.Format | FORMAT_NONE | 0
            ModelInput.Format | FORMAT_NHWC | 1
            ModelInput.Format | FORMAT_NCHW | 2

            BatchInput.Kind | BATCH_ELEMENT_COUNT | 0
            BatchInput.Kind | BATCH_ACCUMULATED_ELEMENT_COUNT | 1
            BatchInput.Kind | BATCH_ACCUMULATED_ELEMENT_COUNT_WITH_ZERO | 2
            BatchInput.Kind | BATCH_MAX_ELEMENT_COUNT_AS_SHAPE | 3
            BatchInput.Kind | BATCH_ITEM_SHAPE | 4
            BatchInput.Kind | BATCH_ITEM_SHAPE_FLATTEN | 5

            BatchOutput.Kind | BATCH_SCATTER_WITH_INPUT_SHAPE | 0

            ModelOptimizationPolicy.ModelPriority | PRIORITY_DEFAULT | 0
            ModelOptimizationPolicy.ModelPriority | PRIORITY_MAX | 1
            ModelOptimizationPolicy.ModelPriority | PRIORITY_MIN | 2

            ModelQueuePolicy.TimeoutAction | REJECT | 0
            ModelQueuePolicy.TimeoutAction | DELAY | 1

            ModelSequenceBatching.Control.Kind | CONTROL_SEQUENCE_START | 0
            ModelSequenceBatching.Control.Kind | CONTROL_SEQUENCE_READY | 1
            ModelSequenceBatching.Control.Kind | CONTROL_SEQUENCE_END | 2
            ModelSequenceBatching.Control.Kind | CONTROL_SEQUENCE_CORRID | 3
            """;

    private static final List<FileDescriptor> FILES =
            List.of(ModelConfigProto.getDescriptor(), GrpcServiceProto.getDescriptor());

    @Test
    void everyFieldHasUpstreamsNumberTypeAndLabel() {
        Map<String, Descriptor> messages = messages();
        List<String> problems = new ArrayList<>();
        for (List<String> row : rows(FIELDS, 5)) {
            String message = "inference." + row.get(0);
            Descriptor descriptor = messages.get(message);
            if (descriptor == null) {
                problems.add(message + ": no such message");
                continue;
            }
            FieldDescriptor field = descriptor.findFieldByName(row.get(1));
            if (field == null) {
                problems.add(message + "." + row.get(1) + ": no such field");
                continue;
            }
            String expected = String.join(" | ", row.subList(2, 5));
            String actual = field.getNumber() + " | " + type(field) + " | " + label(field);
            if (!expected.equals(actual)) {
                problems.add(message + "." + row.get(1) + ": expected " + expected + ", is " + actual);
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void noMessageHasFieldsTheTableDoesNotPin() {
        Map<String, Set<String>> pinned = new LinkedHashMap<>();
        for (List<String> row : rows(FIELDS, 5)) {
            pinned.computeIfAbsent("inference." + row.get(0), k -> new TreeSet<>())
                    .add(row.get(1));
        }
        Map<String, Set<String>> actual = new LinkedHashMap<>();
        messages().forEach((name, descriptor) -> {
            if (!descriptor.getFields().isEmpty()) {
                actual.put(
                        name,
                        descriptor.getFields().stream()
                                .map(FieldDescriptor::getName)
                                .collect(Collectors.toCollection(TreeSet::new)));
            }
        });
        assertEquals(pinned, actual);
    }

    @Test
    void enumValuesHaveUpstreamsNumbers() {
        Map<String, Map<String, Integer>> pinned = new LinkedHashMap<>();
        for (List<String> row : rows(ENUM_VALUES, 3)) {
            pinned.computeIfAbsent("inference." + row.get(0), k -> new LinkedHashMap<>())
                    .put(row.get(1), Integer.parseInt(row.get(2)));
        }
        Map<String, Map<String, Integer>> actual = new LinkedHashMap<>();
        for (EnumDescriptor e : enums()) {
            Map<String, Integer> values = new LinkedHashMap<>();
            e.getValues().forEach(v -> values.put(v.getName(), v.getNumber()));
            actual.put(e.getFullName(), values);
        }
        assertEquals(pinned, actual);
    }

    @Test
    void priorityFieldsAreUint64AsUpstream() {
        Descriptor batching = ModelDynamicBatching.getDescriptor();
        assertEquals(
                FieldDescriptor.Type.UINT64,
                batching.findFieldByName("priority_levels").getType());
        assertEquals(
                FieldDescriptor.Type.UINT64,
                batching.findFieldByName("default_priority_level").getType());
        FieldDescriptor queues = batching.findFieldByName("priority_queue_policy");
        assertEquals(
                FieldDescriptor.Type.UINT64,
                queues.getMessageType().findFieldByName("key").getType());
    }

    @Test
    void aPriorityAboveTwoToThe32TravelsAsOneVarint() throws InvalidProtocolBufferException {
        long level = (1L << 32) + 5; // 0x1_0000_0005: would be truncated to 5 as a uint32
        ModelDynamicBatching batching = ModelDynamicBatching.newBuilder()
                .setPriorityLevels(level)
                .setDefaultPriorityLevel(level)
                .build();
        byte[] varint = {(byte) 0x85, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x10};
        byte[] expected = new byte[12];
        expected[0] = 0x20; // field 4, wire type 0 (varint)
        System.arraycopy(varint, 0, expected, 1, 5);
        expected[6] = 0x28; // field 5, wire type 0
        System.arraycopy(varint, 0, expected, 7, 5);
        assertArrayEquals(expected, batching.toByteArray());

        ModelDynamicBatching back = ModelDynamicBatching.parseFrom(expected);
        assertEquals(level, back.getPriorityLevels());
        assertEquals(level, back.getDefaultPriorityLevel());
    }

    @Test
    void theLargestUint64PriorityRoundTrips() throws InvalidProtocolBufferException {
        long max = -1L; // 2^64 - 1 as an unsigned value
        ModelQueuePolicy policy =
                ModelQueuePolicy.newBuilder().setMaxQueueSize(7).build();
        ModelDynamicBatching batching = ModelDynamicBatching.newBuilder()
                .setPriorityLevels(max)
                .putPriorityQueuePolicy(max, policy)
                .build();
        byte[] bytes = batching.toByteArray();
        // priority_levels: tag 0x20, then nine 0xFF bytes and 0x01 (ten-byte varint).
        byte[] head = {0x20, -1, -1, -1, -1, -1, -1, -1, -1, -1, 0x01};
        assertArrayEquals(head, Arrays.copyOf(bytes, head.length));

        UnknownFieldSet fields = UnknownFieldSet.parseFrom(bytes);
        assertEquals(List.of(max), fields.getField(4).getVarintList());
        UnknownFieldSet entry = UnknownFieldSet.parseFrom(
                fields.getField(7).getLengthDelimitedList().get(0)); // map entry: key 1, value 2
        assertEquals(List.of(max), entry.getField(1).getVarintList());
        assertEquals(
                "18446744073709551615",
                Long.toUnsignedString(ModelDynamicBatching.parseFrom(bytes).getPriorityLevels()));
        assertEquals(policy, ModelDynamicBatching.parseFrom(bytes).getPriorityQueuePolicyOrThrow(max));
    }

    @Test
    void bytesWrittenWithTheOldUint32TypeReadTheSame() throws InvalidProtocolBufferException {
        // priority_levels = 3, default_priority_level = 2, priority_queue_policy {key: 1, value: {}}
        byte[] old = {0x20, 0x03, 0x28, 0x02, 0x3A, 0x04, 0x08, 0x01, 0x12, 0x00};
        ModelDynamicBatching batching = ModelDynamicBatching.parseFrom(old);
        assertEquals(3L, batching.getPriorityLevels());
        assertEquals(2L, batching.getDefaultPriorityLevel());
        assertTrue(batching.containsPriorityQueuePolicy(1L));
        assertArrayEquals(old, batching.toByteArray());
    }

    @Test
    void responseStatisticsTravelAsField9() throws InvalidProtocolBufferException {
        ModelStatistics stats = ModelStatistics.newBuilder()
                .setName("policy")
                .putResponseStats(
                        "0",
                        InferResponseStatistics.newBuilder()
                                .setCancel(StatisticDuration.newBuilder().setCount(1))
                                .build())
                .build();
        UnknownFieldSet fields = UnknownFieldSet.parseFrom(stats.toByteArray());
        UnknownFieldSet entry = UnknownFieldSet.parseFrom(
                fields.getField(9).getLengthDelimitedList().get(0));
        assertEquals("0", entry.getField(1).getLengthDelimitedList().get(0).toStringUtf8());
        UnknownFieldSet value = UnknownFieldSet.parseFrom(
                entry.getField(2).getLengthDelimitedList().get(0));
        UnknownFieldSet cancel = UnknownFieldSet.parseFrom(
                value.getField(6).getLengthDelimitedList().get(0));
        assertEquals(List.of(1L), cancel.getField(1).getVarintList());
    }

    private static List<List<String>> rows(String table, int columns) {
        List<List<String>> out = new ArrayList<>();
        for (String line : table.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            List<String> row = List.of(line.trim().split("\\s*\\|\\s*"));
            assertEquals(columns, row.size(), line);
            out.add(row);
        }
        return out;
    }

    private static Map<String, Descriptor> messages() {
        Map<String, Descriptor> out = new LinkedHashMap<>();
        FILES.forEach(file -> file.getMessageTypes().forEach(m -> addMessage(m, out)));
        return out;
    }

    private static void addMessage(Descriptor descriptor, Map<String, Descriptor> out) {
        if (descriptor.getOptions().getMapEntry()) {
            return;
        }
        out.put(descriptor.getFullName(), descriptor);
        descriptor.getNestedTypes().forEach(n -> addMessage(n, out));
    }

    private static List<EnumDescriptor> enums() {
        List<EnumDescriptor> out = new ArrayList<>();
        for (FileDescriptor file : FILES) {
            out.addAll(file.getEnumTypes());
        }
        messages().values().forEach(m -> out.addAll(m.getEnumTypes()));
        return out;
    }

    private static String type(FieldDescriptor field) {
        if (field.isMapField()) {
            Descriptor entry = field.getMessageType();
            return "map<" + type(entry.findFieldByName("key")) + ", " + type(entry.findFieldByName("value")) + ">";
        }
        return switch (field.getJavaType()) {
            case MESSAGE -> withoutPackage(field.getMessageType().getFullName());
            case ENUM -> withoutPackage(field.getEnumType().getFullName());
            default -> field.getType().name().toLowerCase(Locale.ROOT);
        };
    }

    private static String label(FieldDescriptor field) {
        if (field.isMapField()) {
            return "map";
        }
        if (field.isRepeated()) {
            return "repeated";
        }
        if (field.getRealContainingOneof() != null) {
            return "oneof " + field.getRealContainingOneof().getName();
        }
        return "singular";
    }

    private static String withoutPackage(String fullName) {
        return fullName.startsWith("inference.") ? fullName.substring("inference.".length()) : fullName;
    }
}
