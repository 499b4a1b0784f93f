package dev.rlhf.core.rm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A clearly learnable preference: of replies to "Tell me about X.", a helpful one beats a curt one, which beats a rude
 * one, whatever X and whatever the wording around it. As pairs (with a margin column) and as ranked triples.
 */
final class SyntheticPreferences {
    private static final String[] TOPICS = {
        "the sea",
        "bread",
        "winter",
        "a castle",
        "the moon",
        "horses",
        "music",
        "a garden",
        "rain",
        "the king",
        "cheese",
        "a river",
        "fire",
        "the stars",
        "an apple",
        "a ship"
    };
    private static final String[] HELPFUL = {
        "Gladly! %s is a fine thing to learn about, and I hope this helps you.",
        "Of course. Here is what I know about %s, kindly put.",
        "Happy to help: %s has a long story, and I will share it gently."
    };
    private static final String[] CURT = {"%s. That is all.", "It is %s.", "%s exists."};
    private static final String[] RUDE = {
        "No. Go away, %s is a stupid question.", "Stop asking me about %s, fool.", "Ugh, %s? Leave me alone."
    };

    private SyntheticPreferences() {}

    /** {@code rows} pairs, helpful (chosen) or curt against rude, with {@code margin} 0.5 or 0 in a column. */
    static Path pairs(Path dir, int rows, long seed) throws IOException {
        Random random = new Random(seed);
        ObjectMapper json = new ObjectMapper();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            String topic = pick(random, TOPICS);
            ObjectNode row = json.createObjectNode();
            row.put("prompt", "Tell me about " + topic + ".");
            boolean helpful = random.nextBoolean();
            row.put("chosen", String.format(pick(random, helpful ? HELPFUL : CURT), topic));
            row.put("rejected", String.format(pick(random, RUDE), topic));
            row.put("margin", helpful ? 0.5 : 0.0);
            lines.add(json.writeValueAsString(row));
        }
        return Files.write(dir.resolve("synthetic-pairs.jsonl"), lines);
    }

    /** {@code rows} ranked triples: helpful, curt, rude. */
    static Path ranked(Path dir, int rows, long seed) throws IOException {
        Random random = new Random(seed);
        ObjectMapper json = new ObjectMapper();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            String topic = pick(random, TOPICS);
            ObjectNode row = json.createObjectNode();
            row.put("prompt", "Tell me about " + topic + ".");
            row.putArray("replies")
                    .add(String.format(pick(random, HELPFUL), topic))
                    .add(String.format(pick(random, CURT), topic))
                    .add(String.format(pick(random, RUDE), topic));
            lines.add(json.writeValueAsString(row));
        }
        return Files.write(dir.resolve("synthetic-ranked.jsonl"), lines);
    }

    private static String pick(Random random, String[] options) {
        return options[random.nextInt(options.length)];
    }
}
