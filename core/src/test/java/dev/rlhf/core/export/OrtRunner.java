package dev.rlhf.core.export;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;
import java.util.Map;

/** One ONNX Runtime CPU session over an exported model, fed the way a serving client feeds it. */
final class OrtRunner implements AutoCloseable {

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;

    OrtRunner(Path model) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(1);
        this.session = env.createSession(model.toString(), options);
    }

    OrtSession session() {
        return session;
    }

    /** The single output for int64 inputs: float[][] for log-probs, float[] for rewards. */
    Object run(long[][] ids, long[][] mask) throws OrtException {
        try (OnnxTensor idsTensor = OnnxTensor.createTensor(env, ids);
                OnnxTensor maskTensor = OnnxTensor.createTensor(env, mask)) {
            return run(idsTensor, maskTensor);
        }
    }

    /** The single output for int32 inputs. */
    Object run(int[][] ids, int[][] mask) throws OrtException {
        try (OnnxTensor idsTensor = OnnxTensor.createTensor(env, ids);
                OnnxTensor maskTensor = OnnxTensor.createTensor(env, mask)) {
            return run(idsTensor, maskTensor);
        }
    }

    private Object run(OnnxTensor ids, OnnxTensor mask) throws OrtException {
        Map<String, OnnxTensor> inputs = Map.of(OnnxExporter.INPUT_IDS, ids, OnnxExporter.ATTENTION_MASK, mask);
        try (OrtSession.Result result = session.run(inputs)) {
            return result.get(0).getValue();
        }
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
