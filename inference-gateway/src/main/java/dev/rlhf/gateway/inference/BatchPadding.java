package dev.rlhf.gateway.inference;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stacks requests into one batch and cuts the batch's outputs back, so that each request gets what it would have got
 * alone.
 *
 * <p>Dimension letters: B rows of the merged batch (the sum of the requests' rows), T its length (the longest
 * request's), t one request's own length. Rows are right-padded with 0, which is the pad id and, in the attention mask,
 * "not a token": the exported graphs read a reward at the last real token and compute causally, so padding after a
 * row's tokens changes none of its values.
 */
public final class BatchPadding {
    private BatchPadding() {}

    /** The merged (B, T) input. */
    public record Merged(int rows, int length, Map<String, long[]> inputs) {}

    /** Stacks {@code calls} in order into (B, T) for each of {@code inputNames}, right-padding shorter rows with 0. */
    public static Merged merge(List<InferCall> calls, List<String> inputNames) {
        int rows = 0;
        int length = 0;
        for (InferCall call : calls) {
            rows += call.rows();
            length = Math.max(length, call.length());
        }
        Map<String, long[]> merged = new LinkedHashMap<>();
        for (String name : inputNames) {
            long[] batch = new long[Math.multiplyExact(rows, length)]; // (B, T), zero-filled = padding
            int row = 0;
            for (InferCall call : calls) {
                long[] values = call.inputs().get(name); // (b, t)
                for (int r = 0; r < call.rows(); r++, row++) {
                    System.arraycopy(values, r * call.length(), batch, row * length, call.length());
                }
            }
            merged.put(name, batch);
        }
        return new Merged(rows, length, merged);
    }

    /**
     * Cuts the merged outputs back into one list per call, in call order, keeping the outputs each call asked for. A
     * per-position output (B, W) becomes (b, W - (T - t)) for a call of b rows of length t; other outputs keep their
     * shape after the batch axis.
     */
    public static List<List<OutputTensor>> split(
            List<InferCall> calls, int mergedLength, List<OutputTensor> outputs, ModelSignature signature) {
        List<List<OutputTensor>> perCall = new ArrayList<>();
        int rowOffset = 0;
        for (InferCall call : calls) {
            List<OutputTensor> mine = new ArrayList<>();
            for (OutputTensor output : outputs) {
                if (call.outputs().isEmpty() || call.outputs().contains(output.name())) {
                    boolean perPosition = signature
                            .output(output.name())
                            .map(ModelSignature.Output::perPosition)
                            .orElse(false);
                    mine.add(rows(output, rowOffset, call, perPosition ? mergedLength - call.length() : 0));
                }
            }
            perCall.add(mine);
            rowOffset += call.rows();
        }
        return perCall;
    }

    /** Rows {@code [offset, offset + call.rows())} of {@code output}, each without its last {@code padding} values. */
    private static OutputTensor rows(OutputTensor output, int offset, InferCall call, int padding) {
        int width = output.rowWidth();
        int kept = Math.max(0, width - padding);
        float[] data = new float[call.rows() * kept];
        for (int r = 0; r < call.rows(); r++) {
            System.arraycopy(output.data(), (offset + r) * width, data, r * kept, kept);
        }
        long[] shape = output.shape().clone();
        shape[0] = call.rows();
        if (padding > 0) {
            shape[1] = kept; // per-position outputs are (B, W)
        }
        return new OutputTensor(output.name(), shape, data);
    }
}
