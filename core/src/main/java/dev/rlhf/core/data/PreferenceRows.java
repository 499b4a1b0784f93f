package dev.rlhf.core.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * Rows for a reward model, whatever their layout: preference pairs ({@code pairs}, {@code hh}) become two ranked
 * replies, ranked rows stay as they are, and the margin comes from {@code marginColumn} when one is named (a number
 * every row must have), else 0.
 *
 * @param base the layout of the rows: {@link DatasetFormat#PAIRS}, {@link DatasetFormat#HH_PAIRS} or
 *     {@link DatasetFormat#RANKED}
 * @param marginColumn the field holding each row's margin, if any
 */
record PreferenceRows(DatasetFormat<?> base, Optional<String> marginColumn) implements DatasetFormat<RankedReplies> {

    @Override
    public String name() {
        return base.name();
    }

    @Override
    public boolean recognises(JsonNode row) {
        return base.recognises(row);
    }

    @Override
    public RankedReplies parse(JsonNode row) {
        Object parsed = base.parse(row);
        double margin = marginColumn.isPresent() ? JsonFields.number(row, marginColumn.get()) : 0;
        if (parsed instanceof PreferencePair pair) {
            return RankedReplies.of(pair, margin);
        }
        return ((RankedReplies) parsed).withMargin(margin);
    }
}
