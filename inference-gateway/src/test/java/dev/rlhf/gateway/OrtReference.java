package dev.rlhf.gateway;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.Map;

/** The expected answers: a model's {@code model.onnx} run directly in ONNX Runtime, one request at a time. */
public final class OrtReference implements AutoCloseable {

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;

    public OrtReference(String model) throws OrtException {
        this.session = env.createSession(
                GatewayTestClient.repo().resolve(model).resolve("1/model.onnx").toString(),
                new OrtSession.SessionOptions());
    }

    /** The model's single output for int64 (B, T) ids and mask: float[] for rewards, float[][] for log-probs. */
    public Object run(long[][] ids, long[][] mask) throws OrtException {
        try (OnnxTensor idsTensor = OnnxTensor.createTensor(env, ids);
                OnnxTensor maskTensor = OnnxTensor.createTensor(env, mask);
                OrtSession.Result result = session.run(Map.of("input_ids", idsTensor, "attention_mask", maskTensor))) {
            return result.get(0).getValue();
        }
    }

    /** The model's output for one unpadded row. */
    public Object runOne(long[] ids) throws OrtException {
        long[] mask = new long[ids.length];
        java.util.Arrays.fill(mask, 1);
        return run(new long[][] {ids}, new long[][] {mask});
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
