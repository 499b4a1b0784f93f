package dev.rlhf.proto.triton;

import dev.rlhf.proto.inference.DataType;

/**
 * Converts between the two spellings of a tensor's element type: the model configuration's {@link DataType} ({@code
 * TYPE_INT64}) and the v2 protocol's datatype string ({@code "INT64"}). {@code TYPE_STRING} travels as {@code "BYTES"}.
 */
public final class TritonDataTypes {
    private TritonDataTypes() {}

    /** The protocol name of {@code type}, e.g. {@code TYPE_FP32 -> "FP32"}. */
    public static String toProtocol(DataType type) {
        return switch (type) {
            case TYPE_STRING -> "BYTES";
            case TYPE_INVALID, UNRECOGNIZED -> throw new IllegalArgumentException("no protocol datatype for " + type);
            default -> type.name().substring("TYPE_".length());
        };
    }

    /** The configuration type of protocol name {@code datatype}, e.g. {@code "INT64" -> TYPE_INT64}. */
    public static DataType fromProtocol(String datatype) {
        if (datatype.equals("BYTES")) {
            return DataType.TYPE_STRING;
        }
        for (DataType type : DataType.values()) {
            if (type != DataType.TYPE_STRING
                    && type != DataType.TYPE_INVALID
                    && type != DataType.UNRECOGNIZED
                    && type.name().equals("TYPE_" + datatype)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown protocol datatype '" + datatype + "'");
    }
}
