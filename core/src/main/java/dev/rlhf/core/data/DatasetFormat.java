package dev.rlhf.core.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rlhf.core.tokenizer.ChatMessage;
import java.util.List;

/**
 * How one JSON line of a data file becomes a training row. The formats:
 *
 * <ul>
 *   <li>{@link #ALPACA}: {@code instruction}, optional {@code input}, {@code output}; the user turn is the instruction,
 *       then a blank line and the input when there is one
 *   <li>{@link #CHAT}: {@code messages: [{role, content}]}, roles system, user, assistant
 *   <li>{@link #HH_CHAT}: the {@code chosen} HH transcript as turns (SFT on the preferred dialogue)
 *   <li>{@link #PAIRS}: {@code prompt} (a string, or messages), {@code chosen}, {@code rejected}
 *   <li>{@link #HH_PAIRS}: HH {@code chosen} and {@code rejected}, split at their shared prompt
 *   <li>{@link #RANKED}: {@code prompt} (a string, or messages), {@code replies} (two or more, best first)
 *   <li>{@link #TEXT}: a {@code text} field (plain-text files need no format: see {@link DatasetReader})
 * </ul>
 *
 * @param <T> the row type: a conversation, a preference pair, ranked replies or a text
 */
public sealed interface DatasetFormat<T>
        permits AlpacaFormat,
                ChatFormat,
                HhChatFormat,
                PairsFormat,
                HhPairsFormat,
                RankedFormat,
                PreferenceRows,
                TextFormat {
    DatasetFormat<List<ChatMessage>> ALPACA = new AlpacaFormat();
    DatasetFormat<List<ChatMessage>> CHAT = new ChatFormat();
    DatasetFormat<List<ChatMessage>> HH_CHAT = new HhChatFormat();
    DatasetFormat<PreferencePair> PAIRS = new PairsFormat();
    DatasetFormat<PreferencePair> HH_PAIRS = new HhPairsFormat();
    DatasetFormat<RankedReplies> RANKED = new RankedFormat();
    DatasetFormat<String> TEXT = new TextFormat();

    /** The name used in configs and messages ({@code alpaca}, {@code hh}, ...). */
    String name();

    /** True when a row has this format's fields; {@code auto} takes the first format that recognises line one. */
    boolean recognises(JsonNode row);

    /**
     * The row of one JSON object.
     *
     * @throws RowException naming the missing or ill-typed field
     */
    T parse(JsonNode row);
}
