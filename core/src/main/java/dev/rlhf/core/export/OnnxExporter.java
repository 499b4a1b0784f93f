package dev.rlhf.core.export;

import dev.rlhf.core.export.onnx.ModelProto;
import dev.rlhf.core.export.onnx.OperatorSetIdProto;
import dev.rlhf.core.export.onnx.StringStringEntryProto;
import dev.rlhf.core.export.onnx.TensorProto;
import dev.rlhf.core.model.CausalLm;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.UUID;

/**
 * Writes a {@link CausalLm} as an ONNX model for a model repository laid out as Triton's:
 * {@code <repository>/<name>/<version>/model.onnx}. Writing {@code config.pbtxt} is left to the serving module, from
 * the returned {@link ExportedModel}.
 *
 * <p>Dimensions: B batch, T tokens, D hidden size, V vocab. Inputs are {@code input_ids} and {@code attention_mask}
 * (B, T), int64 or int32; the output is {@code logprobs} (B, T-1) for {@link ServingRole#REF} and
 * {@link ServingRole#POLICY} or {@code rewards} (B) for {@link ServingRole#RM}, both float32. B and T are dynamic
 * ({@code batch}, {@code sequence}). Opset 17, IR version 8; weights are float32 initializers.
 *
 * <p>Size limit: the whole model is one protobuf message, which cannot exceed 2 GiB, so weights of about 500 M float32
 * parameters at most fit. Larger models need ONNX external data (weights in side files), which this exporter does not
 * write; it refuses them up front.
 */
public final class OnnxExporter {

    public static final long IR_VERSION = 8;
    public static final long OPSET = 17;
    public static final String INPUT_IDS = "input_ids";
    public static final String ATTENTION_MASK = "attention_mask";
    public static final String LOGPROBS = "logprobs";
    public static final String REWARDS = "rewards";
    public static final String FILE_NAME = "model.onnx";

    /** Initializer bytes we accept, leaving room under protobuf's 2 GiB for nodes and framing. */
    static final long MAX_WEIGHT_BYTES = (1L << 31) - (64L << 20);

    private OnnxExporter() {}

    /** Writes {@code <repository>/<name>/<version>/model.onnx} atomically (temp file, then rename). */
    public static ExportedModel export(Path repository, String name, CausalLm model, ExportOptions options) {
        if (!name.matches("[A-Za-z0-9_.-]+") || name.startsWith(".")) {
            throw new IllegalArgumentException("model name '" + name + "' must be a plain directory name");
        }
        Path file = repository
                .resolve(name)
                .resolve(Integer.toString(options.version()))
                .resolve(FILE_NAME);
        ModelProto proto = toOnnx(model, options);
        writeAtomically(file, proto);
        return new ExportedModel(
                name, options.version(), options.role(), file, inputs(options), outputs(options.role()));
    }

    /** The ONNX model in memory. */
    public static ModelProto toOnnx(CausalLm model, ExportOptions options) {
        checkSize(model, options);
        OnnxGraphBuilder g = new OnnxGraphBuilder(
                model.config().modelType() + "_" + options.role().id());
        inputs(options).forEach(g::input);
        String ids = asInt64(g, INPUT_IDS, options.idsType());
        String mask = asInt64(g, ATTENTION_MASK, options.idsType());
        LlamaOnnxGraph decoder = new LlamaOnnxGraph(g, model);
        String hidden = decoder.hiddenStates(ids, mask); // (B, T, D)
        if (options.role() == ServingRole.RM) {
            OnnxHeads.rewards(g, hidden, mask, options.scoreWeight(), REWARDS);
        } else {
            OnnxHeads.logProbs(g, decoder, hidden, ids, LOGPROBS);
        }
        outputs(options.role()).forEach(g::output);
        return ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setProducerName("rlhf-jvm")
                .setProducerVersion("0.1.0")
                .setModelVersion(options.version())
                .setDocString(model.config().architecture() + " exported for role "
                        + options.role().id())
                .addMetadataProps(entry("rlhf.role", options.role().id()))
                .addMetadataProps(entry("rlhf.architecture", model.config().architecture()))
                .setGraph(g.build())
                .build();
    }

    /** The graph inputs for these options: ids and mask (B, T). */
    public static List<TensorSpec> inputs(ExportOptions options) {
        return List.of(
                TensorSpec.dynamic(INPUT_IDS, options.idsType(), "batch", "sequence"),
                TensorSpec.dynamic(ATTENTION_MASK, options.idsType(), "batch", "sequence"));
    }

    /** The graph output for a role: rewards (B) or log-probs (B, T-1). */
    public static List<TensorSpec> outputs(ServingRole role) {
        return role == ServingRole.RM
                ? List.of(TensorSpec.dynamic(REWARDS, ElementType.FP32, "batch"))
                : List.of(TensorSpec.dynamic(LOGPROBS, ElementType.FP32, "batch", "sequence_minus_1"));
    }

    private static String asInt64(OnnxGraphBuilder g, String input, ElementType type) {
        if (type == ElementType.INT64) {
            return input;
        }
        return g.node("Cast", input)
                .attr("to", TensorProto.DataType.INT64_VALUE)
                .output();
    }

    private static void checkSize(CausalLm model, ExportOptions options) {
        int d = model.config().hiddenSize();
        if (options.scoreWeight() != null && options.scoreWeight().getShape().get(1) != d) {
            throw new IllegalArgumentException(
                    "score.weight is " + options.scoreWeight().getShape() + " but hidden_size is " + d);
        }
        long bytes = model.hfParameters().values().stream()
                        .mapToLong(p -> p.getArray().size())
                        .sum()
                * Float.BYTES;
        if (bytes > MAX_WEIGHT_BYTES) {
            throw new IllegalArgumentException("the weights take " + bytes + " bytes as float32, more than the "
                    + MAX_WEIGHT_BYTES + " one ONNX protobuf file can hold (external data is not supported)");
        }
    }

    private static StringStringEntryProto entry(String key, String value) {
        return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }

    private static void writeAtomically(Path file, ModelProto proto) {
        Path directory = file.getParent();
        Path temp = directory.resolve(
                "." + FILE_NAME + ".tmp-" + UUID.randomUUID().toString().substring(0, 8));
        try {
            Files.createDirectories(directory);
            try (FileChannel channel =
                    FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 20);
                proto.writeTo(out);
                out.flush();
                channel.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new OnnxExportException(file, "cannot write the ONNX model", e);
        }
    }
}
