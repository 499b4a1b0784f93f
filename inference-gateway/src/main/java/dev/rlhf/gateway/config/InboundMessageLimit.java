package dev.rlhf.gateway.config;

import dev.rlhf.gateway.inference.ModelFiles;
import dev.rlhf.gateway.inference.ModelSignature;
import dev.rlhf.proto.inference.DataType;
import dev.rlhf.proto.triton.TritonModelConfigs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The largest gRPC message the gateway accepts, sized from the models it serves, so that an oversized request is
 * refused (RESOURCE_EXHAUSTED) before any of it is parsed instead of costing seconds of a core:
 *
 * <pre>
 *   largest(m) = max_batch_size(m) x max_sequence_length(m) x sum over m's inputs of bytes per element
 *   limit      = MARGIN x max over the repository's models of largest(m) + OVERHEAD
 * </pre>
 *
 * Bytes per element are the raw tensor's (8 for TYPE_INT64, 4 for TYPE_INT32); a typed request's packed varints of
 * valid token ids are no longer than that, except INT32 ids of 2^28 and more, which the margin covers. The overhead
 * covers tensor names, shapes and parameters, and the rlhf.v1 services' text and id requests. A model without a
 * {@code max_sequence_length} parameter cannot be sized and gets {@link #UNSIZED} (gRPC-java's own default is 4 MiB).
 */
public final class InboundMessageLimit {

    /** Headroom over the largest valid request. */
    public static final int MARGIN = 2;

    /** Protocol overhead and the rlhf.v1 requests (a prompt as text or ids), whatever the models. */
    public static final long OVERHEAD = 1L << 20;

    /** The limit for a repository holding a model without a {@code max_sequence_length}: the former fixed value. */
    public static final long UNSIZED = 16L << 20;

    private InboundMessageLimit() {}

    /** The limit for the models of the Triton repository {@code repo}; {@link #OVERHEAD} for an empty one. */
    public static long forRepository(Path repo) {
        long largest = 0;
        for (ModelFiles files : ModelFiles.scan(repo)) {
            ModelSignature signature;
            try {
                signature = ModelSignature.of(
                        TritonModelConfigs.read(files.config()),
                        files.name(),
                        files.config().toString());
            } catch (IOException e) {
                throw new UncheckedIOException(files.config() + ": cannot read the model config", e);
            }
            if (signature.maxSequenceLength().isEmpty()) {
                return UNSIZED;
            }
            largest = Math.max(largest, largestRequest(signature));
        }
        return Math.min(Integer.MAX_VALUE, MARGIN * largest + OVERHEAD);
    }

    /** Bytes of the tensors of {@code model}'s largest valid request: every input at full batch and length. */
    static long largestRequest(ModelSignature model) {
        long perPosition = model.inputs().stream()
                .mapToLong(input -> bytesPerElement(input.type()))
                .sum();
        return (long) model.maxBatchSize() * model.maxSequenceLength().getAsInt() * perPosition;
    }

    private static long bytesPerElement(DataType type) {
        return switch (type) {
            case TYPE_INT64 -> Long.BYTES;
            case TYPE_INT32 -> Integer.BYTES;
            default -> throw new IllegalArgumentException("not a gateway input type: " + type);
        };
    }
}
