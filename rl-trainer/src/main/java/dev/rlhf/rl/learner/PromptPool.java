package dev.rlhf.rl.learner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.core.data.HhTranscript;
import dev.rlhf.core.tokenizer.ChatMessage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;

/**
 * The prompts PPO rolls out, read from JSONL (gzip too): a {@code prompt} field, or an HH transcript
 * ({@code chosen}) whose first human turn is the prompt. Each iteration draws its prompts by (seed, iteration), so a
 * resumed learner asks for the same prompts again.
 */
public final class PromptPool {

    private final List<String> prompts;

    private PromptPool(List<String> prompts) {
        this.prompts = List.copyOf(prompts);
    }

    public static PromptPool read(Path file, int size) {
        List<String> prompts = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        try (BufferedReader reader = open(file)) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null && (size <= 0 || prompts.size() < size)) {
                number++;
                if (!line.isBlank()) {
                    prompts.add(prompt(json, line, file, number));
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("prompts.path: cannot read " + file + ": " + e.getMessage(), e);
        }
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("prompts.path: " + file + " holds no prompts");
        }
        return new PromptPool(prompts);
    }

    /** The last {@code n} prompts (all when there are fewer): held-out prompts when PPO draws from the first ones. */
    public List<String> last(int n) {
        return prompts.subList(Math.max(0, prompts.size() - n), prompts.size());
    }

    private static String prompt(ObjectMapper json, String line, Path file, int number) throws IOException {
        JsonNode node;
        try {
            node = json.readTree(line);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ":" + number + ": not JSON");
        }
        if (node.hasNonNull("prompt")) {
            return node.get("prompt").asText();
        }
        if (node.hasNonNull("chosen")) {
            List<ChatMessage> turns = HhTranscript.parse(node.get("chosen").asText());
            return turns.stream()
                    .filter(t -> t.role().equals("user"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(file + ":" + number + ": no human turn"))
                    .content();
        }
        throw new IllegalArgumentException(file + ":" + number + ": expected a 'prompt' or 'chosen' field");
    }

    private static BufferedReader open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        if (file.toString().endsWith(".gz")) {
            in = new GZIPInputStream(in);
        }
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    /** The {@code count} prompts of an iteration, drawn without replacement (with, if the pool is smaller). */
    public List<String> forIteration(long seed, long iteration, int count) {
        Random random = new Random(seed * 1_000_003L + iteration);
        List<String> out = new ArrayList<>(count);
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

    public int size() {
        return prompts.size();
    }
}
