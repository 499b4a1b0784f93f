package dev.rlhf.gateway.inference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.rlhf.core.export.ExternalDataFiles;
import dev.rlhf.proto.inference.DataType;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * An ONNX Runtime CPU session over one {@code model.onnx}, run on merged (B, T) batches. ORT sessions are thread-safe,
 * so several model instances share one.
 *
 * <p>The session is created from the file's path, never its bytes, so that ONNX Runtime finds weights stored as
 * external data ({@code model.onnx.data}) relative to the model file.
 */
public final class OnnxSession implements AutoCloseable {

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final ModelSignature signature;

    public OnnxSession(Path file, ModelSignature signature, OptionalInt intraOpThreads, boolean allowSpinning) {
        this.signature = signature;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            if (intraOpThreads.isPresent()) {
                options.setIntraOpNumThreads(intraOpThreads.getAsInt());
            }
            options.addConfigEntry("session.intra_op.allow_spinning", allowSpinning ? "1" : "0");
            this.session = env.createSession(file.toString(), options);
        } catch (OrtException e) {
            throw new ModelLoadException(
                    missingSideFiles(file) + file + ": ONNX Runtime cannot load it: " + e.getMessage(), e);
        }
        for (ModelSignature.Input input : signature.inputs()) {
            if (!session.getInputNames().contains(input.name())) {
                throw new ModelLoadException(file + ": config.pbtxt declares input '" + input.name()
                        + "' but the graph's inputs are " + session.getInputNames());
            }
        }
        for (ModelSignature.Output output : signature.outputs()) {
            if (!session.getOutputNames().contains(output.name())) {
                throw new ModelLoadException(file + ": config.pbtxt declares output '" + output.name()
                        + "' but the graph's outputs are " + session.getOutputNames());
            }
        }
    }

    /** Runs the model on (B, T) inputs (values row-major) and returns every declared output. */
    public List<OutputTensor> run(int rows, int length, Map<String, long[]> inputs) throws OrtException {
        long[] shape = {rows, length};
        Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
        try {
            for (ModelSignature.Input input : signature.inputs()) {
                long[] values = inputs.get(input.name());
                tensors.put(
                        input.name(),
                        input.type() == DataType.TYPE_INT32
                                ? OnnxTensor.createTensor(env, IntBuffer.wrap(narrow(values)), shape)
                                : OnnxTensor.createTensor(env, LongBuffer.wrap(values), shape));
            }
            try (OrtSession.Result result = session.run(tensors)) {
                List<OutputTensor> outputs = new ArrayList<>();
                for (ModelSignature.Output output : signature.outputs()) {
                    outputs.add(read(output.name(), result));
                }
                return outputs;
            }
        } finally {
            tensors.values().forEach(OnnxTensor::close);
        }
    }

    private static OutputTensor read(String name, OrtSession.Result result) throws OrtException {
        OnnxValue value = result.get(name).orElseThrow(() -> new IllegalStateException("no output " + name));
        OnnxTensor tensor = (OnnxTensor) value;
        FloatBuffer buffer = tensor.getFloatBuffer();
        float[] data = new float[buffer.remaining()];
        buffer.get(data);
        return new OutputTensor(name, tensor.getInfo().getShape(), data);
    }

    /** Names the external-data files the model reads but which are not there, as a message prefix; else "". */
    private static String missingSideFiles(Path file) {
        try {
            List<Path> missing = ExternalDataFiles.missing(file);
            return missing.isEmpty()
                    ? ""
                    : "missing external data file "
                            + String.join(
                                    ", ", missing.stream().map(Path::toString).toList()) + " (the weights of "
                            + file.getFileName() + "); ";
        } catch (IOException | RuntimeException e) {
            return ""; // not a readable ONNX model: ORT's own message says so
        }
    }

    /** Values were range-checked against INT32 when the request was decoded. */
    private static int[] narrow(long[] values) {
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (int) values[i];
        }
        return out;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("closing the ONNX Runtime session: " + e.getMessage(), e);
        }
    }
}
