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
 * ({@code batch}, {@code sequence}). Opset 17, IR version 8; weights are float32 initializers, or float16 ones cast
 * to float32 in the graph ({@link WeightType#F16}).
 *
 * <p>Size: one protobuf message cannot exceed 2 GiB, so weights over {@link #EXTERNAL_DATA_THRESHOLD} (or any, with
 * {@link ExportOptions#alwaysExternal()}) are written as ONNX external data: their bytes streamed, one tensor at a
 * time, into {@code model.onnx.data} beside {@code model.onnx}, which keeps only the graph and where each tensor lies
 * ({@link ExternalDataWriter}). ONNX Runtime and Triton resolve the side file relative to the model file.
 */
public final class OnnxExporter {

    public static final long IR_VERSION = 8;
    public static final long OPSET = 17;
    public static final String INPUT_IDS = "input_ids";
    public static final String ATTENTION_MASK = "attention_mask";
    public static final String LOGPROBS = "logprobs";
    public static final String REWARDS = "rewards";
    public static final String FILE_NAME = "model.onnx";
    /** The external-data side file, beside {@link #FILE_NAME}. */
    public static final String DATA_FILE_NAME = FILE_NAME + ".data";

    /** Stored weight bytes above which the weights go to the side file: half of protobuf's 2 GiB, to leave margin. */
    public static final long EXTERNAL_DATA_THRESHOLD = 1L << 30;

    /** Initializer bytes one in-memory {@link ModelProto} holds, leaving room under 2 GiB for nodes and framing. */
    static final long MAX_INLINE_BYTES = (1L << 31) - (64L << 20);

    private OnnxExporter() {}

    /**
     * Writes {@code <repository>/<name>/<version>/model.onnx}, and {@code model.onnx.data} when the weights are stored
     * externally, each through a temp file renamed into place (the side file first).
     */
    public static ExportedModel export(Path repository, String name, CausalLm model, ExportOptions options) {
        if (!name.matches("[A-Za-z0-9_.-]+") || name.startsWith(".")) {
            throw new IllegalArgumentException("model name '" + name + "' must be a plain directory name");
        }
        Path directory = repository.resolve(name).resolve(Integer.toString(options.version()));
        Path file = directory.resolve(FILE_NAME);
        Path dataFile = directory.resolve(DATA_FILE_NAME);
        boolean external = options.alwaysExternal() || storedWeightBytes(model, options) > EXTERNAL_DATA_THRESHOLD;
        String tag = UUID.randomUUID().toString().substring(0, 8);
        Path tempData = directory.resolve("." + DATA_FILE_NAME + ".tmp-" + tag);
        Path tempModel = directory.resolve("." + FILE_NAME + ".tmp-" + tag);
        try {
            Files.createDirectories(directory);
            ModelProto proto;
            if (external) {
                try (ExternalDataWriter writer = new ExternalDataWriter(tempData, DATA_FILE_NAME)) {
                    proto = build(model, options, writer);
                    writer.force();
                }
            } else {
                proto = toOnnx(model, options);
            }
            writeProto(tempModel, proto);
            if (external) {
                Files.move(tempData, dataFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(tempModel, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            if (!external) {
                Files.deleteIfExists(dataFile); // a previous export's weights, which nothing reads now
            }
        } catch (IOException e) {
            deleteQuietly(e, tempData, tempModel);
            throw new OnnxExportException(file, "cannot write the ONNX model", e);
        } catch (RuntimeException e) {
            deleteQuietly(e, tempData, tempModel);
            throw e;
        }
        return new ExportedModel(
                name,
                options.version(),
                options.role(),
                file,
                external ? dataFile : null,
                inputs(options),
                outputs(options.role()));
    }

    /** The ONNX model in memory, weights inline: for models whose weights stay under 2 GiB. */
    public static ModelProto toOnnx(CausalLm model, ExportOptions options) {
        long bytes = storedWeightBytes(model, options);
        if (bytes > MAX_INLINE_BYTES) {
            throw new IllegalArgumentException("the weights take " + bytes + " bytes, more than the " + MAX_INLINE_BYTES
                    + " one ONNX protobuf message holds; export() writes them as external data");
        }
        return build(model, options, null);
    }

    private static ModelProto build(CausalLm model, ExportOptions options, ExternalDataWriter external) {
        checkScoreHead(model, options);
        OnnxGraphBuilder g = new OnnxGraphBuilder(
                model.config().modelType() + "_" + options.role().id(), options.weightType(), external);
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

    private static void checkScoreHead(CausalLm model, ExportOptions options) {
        int d = model.config().hiddenSize();
        if (options.scoreWeight() != null && options.scoreWeight().getShape().get(1) != d) {
            throw new IllegalArgumentException(
                    "score.weight is " + options.scoreWeight().getShape() + " but hidden_size is " + d);
        }
    }

    /** The model's parameters' bytes as stored: the weight type's width times their element count. */
    static long storedWeightBytes(CausalLm model, ExportOptions options) {
        return model.hfParameters().values().stream()
                        .mapToLong(p -> p.getArray().size())
                        .sum()
                * options.weightType().bytes();
    }

    private static StringStringEntryProto entry(String key, String value) {
        return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }

    private static void writeProto(Path temp, ModelProto proto) throws IOException {
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 20);
            proto.writeTo(out);
            out.flush();
            channel.force(true);
        }
    }

    private static void deleteQuietly(Exception failure, Path... files) {
        for (Path f : files) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException suppressed) {
                failure.addSuppressed(suppressed);
            }
        }
    }
}
