package dev.rlhf.core.export;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import com.google.protobuf.UnsafeByteOperations;
import dev.rlhf.core.export.onnx.AttributeProto;
import dev.rlhf.core.export.onnx.GraphProto;
import dev.rlhf.core.export.onnx.NodeProto;
import dev.rlhf.core.export.onnx.TensorProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Appends nodes, initializers and typed inputs/outputs to an ONNX graph, naming intermediate values itself.
 *
 * <p>Nodes must be added in topological order, as ONNX requires: every input must be a graph input, an initializer
 * or an output of an earlier node. Small integer constants ({@link #ints}, {@link #scalar(long)}) are shared, so the
 * same {@code [0, 0, H, E]} shape is stored once however many layers reshape with it. Float weights are stored as
 * little-endian {@code raw_data}, or in an external-data side file when the builder has an {@link ExternalDataWriter}.
 * Model weights ({@link #weight}) are stored as the {@link WeightType} asked for; float16 ones are read through a
 * {@code Cast} to float32, which ONNX Runtime folds once at session load.
 */
public final class OnnxGraphBuilder {

    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private final Map<String, Integer> counters = new HashMap<>();
    private final Map<String, String> constants = new HashMap<>();
    private final Set<String> values = new HashSet<>();
    private final WeightType weightType;
    private final ExternalDataWriter external;
    private long initializerBytes;

    /** A single-file graph with float32 weights. */
    public OnnxGraphBuilder(String name) {
        this(name, WeightType.F32, null);
    }

    /** A graph whose {@link #weight}s are stored as {@code weightType}, large tensors in {@code external} if given. */
    OnnxGraphBuilder(String name, WeightType weightType, ExternalDataWriter external) {
        graph.setName(name);
        this.weightType = weightType;
        this.external = external;
    }

    /**
     * A model weight of the given dims (row-major values): a float32 value named {@code name} or, for
     * {@link WeightType#F16}, the Cast of the float16 initializer {@code name} to float32. Returns the float32 value.
     */
    public String weight(String name, float[] values, long... dims) {
        String stored = floats(name, weightType, values, dims);
        return weightType == WeightType.F32
                ? stored
                : node("Cast", stored)
                        .attr("to", TensorProto.DataType.FLOAT_VALUE)
                        .output();
    }

    /** {@link #weight(String, float[], long...)} with the array's shape and values. */
    public String weight(String name, NDArray array) {
        NDArray f32 = array.getDataType() == DataType.FLOAT32 ? array : array.toType(DataType.FLOAT32, false);
        return weight(name, f32.toFloatArray(), array.getShape().getShape());
    }

    /** A float32 initializer with the array's shape and values (converted to float32 if needed). */
    public String initializer(String name, NDArray array) {
        NDArray f32 = array.getDataType() == DataType.FLOAT32 ? array : array.toType(DataType.FLOAT32, false);
        return initializer(name, f32.toFloatArray(), array.getShape().getShape());
    }

    /** A float32 initializer of the given dims (row-major values). */
    public String initializer(String name, float[] values, long... dims) {
        return floats(name, WeightType.F32, values, dims);
    }

    /**
     * Float values stored as {@code type}. A tensor for the side file is encoded chunk by chunk as it is written, so
     * no byte copy of it is made: one weight may pass 2 GiB, which no byte[] holds.
     */
    private String floats(String name, WeightType type, float[] values, long... dims) {
        checkSize(name, values.length, dims);
        long size = (long) values.length * type.bytes();
        if (external == null || !external.takes(size)) {
            ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(size)).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : values) {
                type.put(bytes, v);
            }
            return addInitializer(name, type.onnxType(), bytes.array(), dims);
        }
        define(name);
        TensorProto.Builder tensor = TensorProto.newBuilder()
                .setName(name)
                .setDataType(type.onnxType().getNumber())
                .addAllDims(Arrays.stream(dims).boxed().toList());
        external.write(tensor, values, type);
        graph.addInitializer(tensor);
        initializerBytes += size;
        return name;
    }

    /** An int64 initializer of the given dims (row-major values). */
    public String initializer(String name, long[] values, long... dims) {
        checkSize(name, values.length, dims);
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asLongBuffer().put(values);
        return addInitializer(name, TensorProto.DataType.INT64, bytes.array(), dims);
    }

    /** A shared 1-D int64 constant, e.g. axes or a target shape. */
    public String ints(long... values) {
        String key = "ints" + Arrays.toString(values);
        return constants.computeIfAbsent(key, k -> initializer(fresh("const"), values, values.length));
    }

    /** A shared rank-0 int64 constant. */
    public String scalar(long value) {
        return constants.computeIfAbsent("long " + value, k -> initializer(fresh("const"), new long[] {value}));
    }

    /** A shared rank-0 float32 constant. */
    public String scalar(float value) {
        String key = "float " + Float.floatToIntBits(value);
        return constants.computeIfAbsent(key, k -> initializer(fresh("const"), new float[] {value}));
    }

    /** Starts a node of the standard domain; finish it with {@link Node#output()} or one of its siblings. */
    public Node node(String opType, String... inputs) {
        for (String input : inputs) {
            if (!input.isEmpty() && !values.contains(input)) {
                throw new IllegalStateException(opType + " reads '" + input + "', which nothing defines yet");
            }
        }
        return new Node(opType, inputs);
    }

    /** Declares a graph input. */
    public void input(TensorSpec spec) {
        define(spec.name());
        graph.addInput(spec.toValueInfo());
    }

    /** Declares an existing value as a graph output. */
    public void output(TensorSpec spec) {
        if (!values.contains(spec.name())) {
            throw new IllegalStateException("output '" + spec.name() + "' is not defined by any node");
        }
        graph.addOutput(spec.toValueInfo());
    }

    /** Bytes of initializer data so far, inline and external. */
    public long initializerBytes() {
        return initializerBytes;
    }

    public GraphProto build() {
        return graph.build();
    }

    private String addInitializer(String name, TensorProto.DataType type, byte[] raw, long... dims) {
        define(name);
        TensorProto.Builder tensor = TensorProto.newBuilder()
                .setName(name)
                .setDataType(type.getNumber())
                .addAllDims(Arrays.stream(dims).boxed().toList());
        if (external != null && external.takes(raw.length)) {
            external.write(tensor, raw); // the bytes go to disk now; only their place stays in the graph
        } else {
            tensor.setRawData(UnsafeByteOperations.unsafeWrap(raw));
        }
        graph.addInitializer(tensor);
        initializerBytes += raw.length;
        return name;
    }

    private static void checkSize(String name, int length, long... dims) {
        long size = Arrays.stream(dims).reduce(1, Math::multiplyExact);
        if (size != length) {
            throw new IllegalArgumentException(
                    name + ": " + length + " values do not fill dims " + Arrays.toString(dims));
        }
    }

    private void define(String name) {
        if (!values.add(name)) {
            throw new IllegalStateException("value '" + name + "' is defined twice");
        }
    }

    private String fresh(String prefix) {
        int n = counters.merge(prefix, 1, Integer::sum);
        return prefix + "_" + n;
    }

    /** A node being built: attributes first, then its outputs, which adds it to the graph. */
    public final class Node {
        private final NodeProto.Builder proto;

        private Node(String opType, String[] inputs) {
            this.proto = NodeProto.newBuilder().setOpType(opType).addAllInput(List.of(inputs));
        }

        public Node attr(String name, long value) {
            proto.addAttribute(AttributeProto.newBuilder()
                    .setName(name)
                    .setType(AttributeProto.AttributeType.INT)
                    .setI(value));
            return this;
        }

        public Node attr(String name, float value) {
            proto.addAttribute(AttributeProto.newBuilder()
                    .setName(name)
                    .setType(AttributeProto.AttributeType.FLOAT)
                    .setF(value));
            return this;
        }

        public Node attrs(String name, long... values) {
            proto.addAttribute(AttributeProto.newBuilder()
                    .setName(name)
                    .setType(AttributeProto.AttributeType.INTS)
                    .addAllInts(Arrays.stream(values).boxed().toList()));
            return this;
        }

        /** Adds the node with one output under a fresh name, which it returns. */
        public String output() {
            return outputs(1)[0];
        }

        /** Adds the node with one output under the given name (a graph output, say). */
        public String output(String name) {
            define(name);
            graph.addNode(proto.setName(name).addOutput(name));
            return name;
        }

        /** Adds the node with n outputs under fresh names. */
        public String[] outputs(int n) {
            String base = fresh(proto.getOpType());
            String[] names = new String[n];
            for (int i = 0; i < n; i++) {
                names[i] = n == 1 ? base : base + ":" + i;
                define(names[i]);
                proto.addOutput(names[i]);
            }
            graph.addNode(proto.setName(base));
            return names;
        }
    }
}
