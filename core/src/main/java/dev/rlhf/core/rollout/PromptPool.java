package dev.rlhf.core.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.core.data.DataException;
import dev.rlhf.core.data.DataFiles;
import dev.rlhf.core.data.HhTranscript;
import dev.rlhf.core.tokenizer.ChatMessage;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * The prompts RL rolls out, read from JSONL (gzip too): a {@code prompt} field, or an HH transcript ({@code chosen})
 * whose first human turn is the prompt; an {@code answer} field, where present, is the reference answer of a
 * verifiable task (a string, or a number written as the file has it). Each iteration draws its prompts by (seed,
 * iteration), so a resumed learner asks for the same prompts again.
 */
public final class PromptPool {

    private final Path file;
    private final List<Prompt> prompts;
    private final List<Integer> lines; // each prompt's 1-based line in the file, for error messages

    private PromptPool(Path file, List<Prompt> prompts, List<Integer> lines) {
        this.file = file;
        this.prompts = List.copyOf(prompts);
        this.lines = List.copyOf(lines);
    }

    public static PromptPool read(Path file, int size) {
        List<Prompt> prompts = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        try (BufferedReader reader = DataFiles.open(file)) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null && (size <= 0 || prompts.size() < size)) {
                number++;
                if (!line.isBlank()) {
                    prompts.add(prompt(json, line, file, number));
                    lines.add(number);
                }
            }
        } catch (IOException | DataException e) {
            throw new IllegalArgumentException("prompts.path: cannot read " + file + ": " + e.getMessage(), e);
        }
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("prompts.path: " + file + " holds no prompts");
        }
        return new PromptPool(file, prompts, lines);
    }

    /** The last {@code n} prompts (all when there are fewer): held-out prompts when PPO draws from the first ones. */
    public List<Prompt> last(int n) {
        return prompts.subList(Math.max(0, prompts.size() - n), prompts.size());
    }

    private static Prompt prompt(ObjectMapper json, String line, Path file, int number) throws IOException {
        JsonNode node;
        try {
            node = json.readTree(line);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ":" + number + ": not JSON");
        }
        Optional<String> answer = answer(node, file, number);
        if (node.hasNonNull("prompt")) {
            return new Prompt(node.get("prompt").asText(), answer);
        }
        if (node.hasNonNull("chosen")) {
            List<ChatMessage> turns = HhTranscript.parse(node.get("chosen").asText());
            String text = turns.stream()
                    .filter(t -> t.role().equals("user"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(file + ":" + number + ": no human turn"))
                    .content();
            return new Prompt(text, answer);
        }
        throw new IllegalArgumentException(file + ":" + number + ": expected a 'prompt' or 'chosen' field");
    }

    private static Optional<String> answer(JsonNode node, Path file, int number) {
        JsonNode answer = node.get("answer");
        if (answer == null || answer.isNull()) {
            return Optional.empty();
        }
        if (!answer.isValueNode()) {
            throw new IllegalArgumentException(
                    file + ":" + number + ": field 'answer' must be a string or a number, got " + answer.getNodeType());
        }
        return Optional.of(answer.asText());
    }

    /**
     * Checks that every prompt carries an {@code answer}, as a rule reward comparing with one needs.
     *
     * @param who what needs the answers, for the message (e.g. {@code "rewards.0 (exact_match)"})
     * @throws IllegalArgumentException naming the file and the first line without one
     */
    public void requireAnswers(String who) {
        for (int i = 0; i < prompts.size(); i++) {
            if (prompts.get(i).answer().isEmpty()) {
                throw new IllegalArgumentException("prompts.path: " + file + ":" + lines.get(i)
                        + ": no 'answer' field, and " + who + " compares responses with the reference answer");
            }
        }
    }

    /** The {@code count} prompts of an iteration, drawn without replacement (with, if the pool is smaller). */
    public List<Prompt> forIteration(long seed, long iteration, int count) {
        Random random = new Random(seed * 1_000_003L + iteration);
        List<Prompt> out = new ArrayList<>(count);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            order.add(i);
        }
        java.util.Collections.shuffle(order, random);
        for (int i = 0; i < count; i++) {
            out.add(prompts.get(order.get(i % order.size())));
        }
        return out;
    }

    /** Every prompt, in file order. */
    public List<Prompt> all() {
        return prompts;
    }

    public int size() {
        return prompts.size();
    }
}
