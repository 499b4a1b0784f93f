package dev.rlhf.gateway.service;

import dev.rlhf.core.tokenizer.Tokenizer;
import java.util.List;

/**
 * The text of one chat choice as its tokens arrive, cut before the first stop string as OpenAI cuts it (the stop
 * string itself is not returned). While the text ends with what may be the start of a stop string, that tail is held
 * back, so the streamed pieces always join into the text a non-streamed answer has.
 */
final class ChoiceText {
    private final IncrementalText decoded;
    private final List<String> stops;
    private final StringBuilder text = new StringBuilder();
    private int sent;
    private boolean stopped;

    ChoiceText(Tokenizer tokenizer, List<String> stops) {
        this.decoded = new IncrementalText(tokenizer);
        this.stops = List.copyOf(stops);
    }

    /** What can be sent now that {@code id} is generated; with {@code last}, everything left before any stop string. */
    String append(long id, boolean last) {
        if (stopped) {
            return "";
        }
        text.append(decoded.append(id, last));
        int cut = firstStop();
        if (cut >= 0) {
            stopped = true;
            return take(cut);
        }
        return take(last ? text.length() : text.length() - heldBack());
    }

    /** True once a stop string was found (the choice's finish reason is then {@code stop}). */
    boolean stopped() {
        return stopped;
    }

    private int firstStop() {
        int first = -1;
        for (String stop : stops) {
            int at = text.indexOf(stop, sent);
            if (at >= 0 && (first < 0 || at < first)) {
                first = at;
            }
        }
        return first;
    }

    /** The length of the longest unsent tail that is a proper prefix of a stop string. */
    private int heldBack() {
        int held = 0;
        for (String stop : stops) {
            for (int k = Math.min(stop.length() - 1, text.length() - sent); k > held; k--) {
                if (text.substring(text.length() - k).equals(stop.substring(0, k))) {
                    held = k;
                    break;
                }
            }
        }
        return held;
    }

    private String take(int end) {
        String piece = text.substring(sent, end);
        sent = end;
        return piece;
    }
}
