package dev.rlhf.gateway.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.gateway.GatewayTestClient;
import dev.rlhf.gateway.OrtReference;
import dev.rlhf.gateway.TestRepository;
import dev.rlhf.gateway.TestRequests;
import dev.rlhf.proto.client.FloatTensor;
import dev.rlhf.proto.client.InferResponses;
import dev.rlhf.proto.client.RawTensors;
import dev.rlhf.proto.inference.GRPCInferenceServiceGrpc;
import dev.rlhf.proto.inference.ModelConfig;
import dev.rlhf.proto.inference.ModelConfigRequest;
import dev.rlhf.proto.inference.ModelInferRequest;
import dev.rlhf.proto.inference.ModelInferResponse;
import dev.rlhf.proto.inference.ModelMetadataRequest;
import dev.rlhf.proto.inference.ModelMetadataResponse;
import dev.rlhf.proto.inference.ModelMetadataResponse.TensorMetadata;
import dev.rlhf.proto.inference.ModelReadyRequest;
import dev.rlhf.proto.inference.ModelStreamInferResponse;
import dev.rlhf.proto.inference.RepositoryIndexRequest;
import dev.rlhf.proto.inference.RepositoryIndexResponse.ModelIndex;
import dev.rlhf.proto.inference.ServerLiveRequest;
import dev.rlhf.proto.inference.ServerMetadataRequest;
import dev.rlhf.proto.inference.ServerMetadataResponse;
import dev.rlhf.proto.inference.ServerReadyRequest;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The KServe v2 RPCs over the in-process models: answers checked against the same ONNX files run directly in ORT. */
@QuarkusTest
@WithTestResource(TestRepository.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InferenceGrpcServiceTest {

    // row 0 is left-padded: the reward is read at its last real token whatever the padding
    private static final long[][] IDS = {{0, 0, 17, 42, 99, 7}, {5, 9, 250, 3, 77, 120}};
    private static final long[][] MASK = {{0, 0, 1, 1, 1, 1}, {1, 1, 1, 1, 1, 1}};

    private GatewayTestClient gateway;
    private OrtReference rm;
    private OrtReference ref;

    @BeforeAll
    void connect() throws Exception {
        gateway = new GatewayTestClient();
        rm = new OrtReference("rm");
        ref = new OrtReference("ref");
    }

    @AfterAll
    void close() throws Exception {
        gateway.close();
        rm.close();
        ref.close();
    }

    @Test
    void serverIsLiveReadyAndDescribesItself() {
        assertTrue(gateway.inference()
                .serverLive(ServerLiveRequest.getDefaultInstance())
                .getLive());
        assertTrue(gateway.inference()
                .serverReady(ServerReadyRequest.getDefaultInstance())
                .getReady());
        ServerMetadataResponse metadata =
                gateway.inference().serverMetadata(ServerMetadataRequest.getDefaultInstance());
        assertEquals("rlhf-inference-gateway", metadata.getName());
        assertTrue(metadata.getExtensionsList().contains("model_configuration"));
    }

    @Test
    void modelMetadataHasTritonDatatypesAndShapesWithTheBatchAxis() {
        ModelMetadataResponse rmMeta = gateway.inference()
                .modelMetadata(ModelMetadataRequest.newBuilder().setName("rm").build());
        assertEquals("rm", rmMeta.getName());
        assertEquals(List.of("1"), rmMeta.getVersionsList());
        assertEquals("onnxruntime_onnx", rmMeta.getPlatform());
        assertEquals(
                List.of(tensor("input_ids", "INT64", -1, -1), tensor("attention_mask", "INT64", -1, -1)),
                rmMeta.getInputsList());
        assertEquals(List.of(tensor("rewards", "FP32", -1, 1)), rmMeta.getOutputsList());
        ModelMetadataResponse refMeta = gateway.inference()
                .modelMetadata(ModelMetadataRequest.newBuilder().setName("ref").build());
        assertEquals(List.of(tensor("logprobs", "FP32", -1, -1)), refMeta.getOutputsList());
        ModelMetadataResponse rm32 = gateway.inference()
                .modelMetadata(ModelMetadataRequest.newBuilder().setName("rm32").build());
        assertEquals("INT32", rm32.getInputs(0).getDatatype());
    }

    private static TensorMetadata tensor(String name, String datatype, long... shape) {
        TensorMetadata.Builder tensor =
                TensorMetadata.newBuilder().setName(name).setDatatype(datatype);
        for (long dim : shape) {
            tensor.addShape(dim);
        }
        return tensor.build();
    }

    @Test
    void modelConfigIsTheRepositorysConfigPbtxt() {
        ModelConfig config = gateway.inference()
                .modelConfig(ModelConfigRequest.newBuilder().setName("rm").build())
                .getConfig();
        assertEquals("rm", config.getName());
        assertEquals(TestRepository.MAX_BATCH, config.getMaxBatchSize());
        assertEquals(
                Integer.toString(TestRepository.MAX_SEQUENCE),
                config.getParametersOrThrow("max_sequence_length").getStringValue());
        assertEquals(20_000, config.getDynamicBatching().getMaxQueueDelayMicroseconds());
    }

    @Test
    void modelReadyForServedModelsOnly() {
        assertTrue(ready("rm", ""));
        assertTrue(ready("rm", "1"));
        assertFalse(ready("rm", "2"));
        assertFalse(ready("no-such-model", ""));
    }

    private boolean ready(String name, String version) {
        return gateway.inference()
                .modelReady(ModelReadyRequest.newBuilder()
                        .setName(name)
                        .setVersion(version)
                        .build())
                .getReady();
    }

    @Test
    void rawAndTypedRewardsEqualOrtOnTheExportedFile() throws Exception {
        float[] expected = (float[]) rm.run(IDS, MASK);
        ModelInferRequest raw = TestRequests.typed("rm", IDS, MASK).toBuilder()
                .clearInputs()
                .addInputs(TestRequests.typedInput("input_ids", IDS).toBuilder().clearContents())
                .addInputs(TestRequests.typedInput("attention_mask", MASK).toBuilder()
                        .clearContents())
                .addRawInputContents(RawTensors.int64("input_ids", IDS))
                .addRawInputContents(RawTensors.int64("attention_mask", MASK))
                .setId("req-7")
                .build();
        ModelInferResponse response = gateway.inference().modelInfer(raw);
        assertEquals("rm", response.getModelName());
        assertEquals("1", response.getModelVersion());
        assertEquals("req-7", response.getId());
        assertEquals("FP32", response.getOutputs(0).getDatatype());
        FloatTensor rewards = InferResponses.fp32(response, "rewards");
        assertArrayEquals(new long[] {2}, rewards.shape());
        assertArrayEquals(expected, rewards.data(), 1e-4f);

        FloatTensor typed =
                InferResponses.fp32(gateway.inference().modelInfer(TestRequests.typed("rm", IDS, MASK)), "rewards");
        assertArrayEquals(expected, typed.data(), 1e-4f);
    }

    @Test
    void int32AndInt64IdsAreAcceptedByEitherModel() throws Exception {
        float[] expected = (float[]) rm.run(IDS, MASK);
        ModelInferRequest int64 = TestRequests.typed("rm32", IDS, MASK);
        assertArrayEquals(expected, rewards(int64), 1e-4f);
        ModelInferRequest.Builder int32 = ModelInferRequest.newBuilder().setModelName("rm");
        for (var input : int64.getInputsList()) {
            var contents = input.getContents().toBuilder().clearInt64Contents();
            input.getContents().getInt64ContentsList().forEach(v -> contents.addIntContents(v.intValue()));
            int32.addInputs(input.toBuilder().setDatatype("INT32").setContents(contents));
        }
        assertArrayEquals(expected, rewards(int32.build()), 1e-4f);
    }

    private float[] rewards(ModelInferRequest request) {
        return InferResponses.fp32(gateway.inference().modelInfer(request), "rewards")
                .data();
    }

    @Test
    void logProbsHaveOneColumnFewerThanTheIdsAndEqualOrt() throws Exception {
        float[][] expected = (float[][]) ref.run(IDS, MASK);
        FloatTensor logprobs =
                InferResponses.fp32(gateway.inference().modelInfer(TestRequests.typed("ref", IDS, MASK)), "logprobs");
        assertArrayEquals(new long[] {2, 5}, logprobs.shape());
        float[][] rows = logprobs.toRows();
        for (int r = 0; r < rows.length; r++) {
            assertArrayEquals(expected[r], rows[r], 1e-4f, "row " + r);
        }
    }

    @Test
    void repositoryIndexListsEveryModel() {
        List<String> names =
                gateway
                        .inference()
                        .repositoryIndex(RepositoryIndexRequest.newBuilder().build())
                        .getModelsList()
                        .stream()
                        .peek(m -> assertEquals("READY", m.getState(), m.getName()))
                        .map(ModelIndex::getName)
                        .toList();
        assertEquals(List.of("ref", "rm", "rm-fwd", "rm-qwen3", "rm32"), names);
    }

    @Test
    void streamInferAnswersEveryRequestByIdErrorsIncluded() throws Exception {
        Map<String, ModelStreamInferResponse> answers = new ConcurrentHashMap<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        StreamObserver<ModelInferRequest> requests = GRPCInferenceServiceGrpc.newStub(gateway.channel())
                .modelStreamInfer(new StreamObserver<>() {
                    @Override
                    public void onNext(ModelStreamInferResponse value) {
                        answers.put(value.getInferResponse().getId(), value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        done.complete(null);
                    }
                });
        requests.onNext(
                TestRequests.typed("rm", IDS, MASK).toBuilder().setId("a").build());
        requests.onNext(
                TestRequests.typed("nope", IDS, MASK).toBuilder().setId("b").build());
        requests.onNext(
                TestRequests.typed("ref", IDS, MASK).toBuilder().setId("c").build());
        requests.onCompleted();
        done.get(60, TimeUnit.SECONDS);
        assertEquals(3, answers.size());
        assertArrayEquals(
                (float[]) rm.run(IDS, MASK),
                InferResponses.fp32(answers.get("a").getInferResponse(), "rewards")
                        .data(),
                1e-4f);
        assertTrue(answers.get("b").getErrorMessage().contains("unknown model 'nope'"));
        assertEquals("", answers.get("c").getErrorMessage());
    }
}
