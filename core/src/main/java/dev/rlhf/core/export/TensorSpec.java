package dev.rlhf.core.export;

import dev.rlhf.core.export.onnx.TensorShapeProto;
import dev.rlhf.core.export.onnx.TypeProto;
import dev.rlhf.core.export.onnx.ValueInfoProto;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Name, element type and shape of one input or output of an exported model: what a serving config needs to declare.
 *
 * @param dims the size of each axis, -1 where it is dynamic
 * @param dimNames the symbolic name of each dynamic axis ({@code batch}, {@code sequence}), empty for fixed ones
 */
public record TensorSpec(String name, ElementType type, List<Long> dims, List<String> dimNames) {

    public TensorSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        dims = List.copyOf(dims);
        dimNames = List.copyOf(dimNames);
        if (dims.size() != dimNames.size()) {
            throw new IllegalArgumentException(name + ": " + dims.size() + " dims but " + dimNames.size() + " names");
        }
        for (int i = 0; i < dims.size(); i++) {
            boolean dynamic = dims.get(i) == -1;
            if (dynamic == dimNames.get(i).isEmpty() || (!dynamic && dims.get(i) < 0)) {
                throw new IllegalArgumentException(
                        name + ": axis " + i + " must be -1 with a name or a size >= 0 without one, got " + dims.get(i)
                                + " '" + dimNames.get(i) + "'");
            }
        }
    }

    /** A tensor whose every axis is dynamic, named as given. */
    public static TensorSpec dynamic(String name, ElementType type, String... axisNames) {
        return new TensorSpec(name, type, Arrays.stream(axisNames).map(a -> -1L).toList(), List.of(axisNames));
    }

    public int rank() {
        return dims.size();
    }

    /** The ONNX graph input/output declaration: element type and fixed or symbolic dims. */
    ValueInfoProto toValueInfo() {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (int i = 0; i < rank(); i++) {
            TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
            if (dims().get(i) == -1) {
                dim.setDimParam(dimNames().get(i));
            } else {
                dim.setDimValue(dims().get(i));
            }
            shape.addDim(dim);
        }
        TypeProto.Tensor tensor = TypeProto.Tensor.newBuilder()
                .setElemType(type().onnxType().getNumber())
                .setShape(shape)
                .build();
        return ValueInfoProto.newBuilder()
                .setName(name())
                .setType(TypeProto.newBuilder().setTensorType(tensor))
                .build();
    }
}
