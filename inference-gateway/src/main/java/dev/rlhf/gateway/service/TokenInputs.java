package dev.rlhf.gateway.service;

import java.util.OptionalInt;

/**
 * Checks on token inputs before they reach a model: an id outside {@code [0, vocab)} would index the embedding out of
 * range (or, negative, wrap to the last rows), and an attention mask must be 0 / 1 with at least one 1 per row. Each
 * rejection is an {@link GatewayException.InvalidRequest} naming the field and the element.
 */
public final class TokenInputs {
    private TokenInputs() {}

    /** @param vocab the model's vocabulary size, when known; negative ids are refused either way */
    public static void checkIds(String field, long[] ids, OptionalInt vocab) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || (vocab.isPresent() && ids[i] >= vocab.getAsInt())) {
                throw new GatewayException.InvalidRequest(field + "[" + i + "]: " + ids[i] + " is not a token id"
                        + (vocab.isPresent() ? " (vocabulary of " + vocab.getAsInt() + ")" : " (must be >= 0)"));
            }
        }
    }

    /** {@code mask} holds {@code rows} rows of {@code columns} values, row-major. */
    public static void checkMask(String field, long[] mask, int rows, int columns) {
        for (int row = 0; row < rows; row++) {
            boolean any = false;
            for (int col = 0; col < columns; col++) {
                long value = mask[row * columns + col];
                if (value != 0 && value != 1) {
                    throw new GatewayException.InvalidRequest(
                            field + "[" + row + "][" + col + "]: " + value + " (a mask holds 0 or 1)");
                }
                any |= value == 1;
            }
            if (!any) {
                throw new GatewayException.InvalidRequest(field + "[" + row + "]: all zeros (no token to attend to)");
            }
        }
    }
}
