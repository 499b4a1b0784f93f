package dev.rlhf.core.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The arithmetic task shipped with the suite ({@code data/arithmetic/}), where learning from a verifiable reward is
 * visible: two-digit additions and subtractions asked as chat prompts, the answer after {@link #MARKER}.
 *
 * <p>Every problem {@code a op b} with {@code a, b} in [10, 99], op {@code +}, or op {@code -} with {@code a >= b} (so
 * answers are 0 to 198) is listed in a fixed order (12,195 problems), shuffled with {@code java.util.Random(seed)}
 * (the same on every JVM); the first {@code trainSize} are the train split, the next {@code heldOutSize} the held-out
 * split, so no (a, op, b) is in both. Files written by {@link #write}:
 *
 * <ul>
 *   <li>{@code train.jsonl}, {@code heldout.jsonl}: RL prompts with their reference answer, {@code {"prompt": "What is
 *       37 + 45?", "answer": "82"}}
 *   <li>{@code sft.jsonl}: the first {@code sftSize} train problems as {@code chat} conversations, the assistant turn
 *       {@code "37 + 45 = 82\nAnswer: 82"} for {@link #ANSWER_LINE_SHARE} of them (drawn with {@code seed + 1}) and
 *       the equation alone for the others, for the SFT stage before RL
 * </ul>
 */
public final class ArithmeticTask {

    /** What precedes the answer in a response; the {@code exact_match} reward's marker. */
    public static final String MARKER = "Answer:";

    /** The seed of the shipped files. */
    public static final long SEED = 13;

    /**
     * The share of SFT conversations whose assistant turn ends with the answer line; the others stop at the equation,
     * as worked solutions gathered from several sources do. The SFT policy thus writes the checkable answer only some
     * of the time, and RL with the exact-match reward has to learn to (besides getting the sums right).
     */
    public static final double ANSWER_LINE_SHARE = 0.5;

    private static final int LOW = 10;
    private static final int HIGH = 99;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ArithmeticTask() {}

    /** One problem: {@code a op b}, op {@code '+'} or {@code '-'}. */
    public record Problem(int a, char op, int b) {

        public Problem {
            if (op != '+' && op != '-') {
                throw new IllegalArgumentException("op must be '+' or '-', got '" + op + "'");
            }
        }

        public int answer() {
            return op == '+' ? a + b : a - b;
        }

        /** The user turn. */
        public String prompt() {
            return "What is " + a + " " + op + " " + b + "?";
        }

        /** The worked equation alone, {@code "37 + 45 = 82"}: an answer a verifier cannot find. */
        public String equation() {
            return a + " " + op + " " + b + " = " + answer();
        }

        /** The full assistant turn: the equation, then the answer after the marker. */
        public String response() {
            return equation() + "\n" + MARKER + " " + answer();
        }
    }

    /** Two disjoint splits of distinct problems. */
    public record Split(List<Problem> train, List<Problem> heldOut) {}

    /** Every problem of the task, in a fixed order: additions, then subtractions, each by a then b. */
    public static List<Problem> all() {
        List<Problem> problems = new ArrayList<>();
        for (char op : new char[] {'+', '-'}) {
            for (int a = LOW; a <= HIGH; a++) {
                for (int b = LOW; b <= (op == '+' ? HIGH : a); b++) {
                    problems.add(new Problem(a, op, b));
                }
            }
        }
        return problems;
    }

    /** The first {@code trainSize} and the next {@code heldOutSize} problems of the seeded shuffle. */
    public static Split generate(long seed, int trainSize, int heldOutSize) {
        List<Problem> problems = all();
        if (trainSize < 1 || heldOutSize < 0 || trainSize + heldOutSize > problems.size()) {
            throw new IllegalArgumentException("train (" + trainSize + ") and held-out (" + heldOutSize
                    + ") sizes must be positive and sum to at most " + problems.size() + " problems");
        }
        Random random = new Random(seed);
        for (int i = problems.size() - 1; i > 0; i--) { // Fisher-Yates
            int j = random.nextInt(i + 1);
            Problem swap = problems.get(i);
            problems.set(i, problems.get(j));
            problems.set(j, swap);
        }
        return new Split(
                List.copyOf(problems.subList(0, trainSize)),
                List.copyOf(problems.subList(trainSize, trainSize + heldOutSize)));
    }

    /** Writes {@code train.jsonl}, {@code heldout.jsonl} and {@code sft.jsonl} into {@code dir}. */
    public static void write(Path dir, long seed, int trainSize, int heldOutSize, int sftSize) {
        if (sftSize < 1 || sftSize > trainSize) {
            throw new IllegalArgumentException("sftSize must be in [1, trainSize = " + trainSize + "], got " + sftSize);
        }
        Split split = generate(seed, trainSize, heldOutSize);
        try {
            Files.createDirectories(dir);
            writeLines(
                    dir.resolve("train.jsonl"),
                    split.train().stream().map(ArithmeticTask::promptLine).toList());
            writeLines(
                    dir.resolve("heldout.jsonl"),
                    split.heldOut().stream().map(ArithmeticTask::promptLine).toList());
            writeLines(dir.resolve("sft.jsonl"), sftLines(split.train().subList(0, sftSize), seed));
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot write the arithmetic task: " + e.getMessage(), e);
        }
    }

    /** {@code {"prompt": ..., "answer": ...}}. */
    static String promptLine(Problem problem) {
        ObjectNode row = JSON.createObjectNode();
        row.put("prompt", problem.prompt());
        row.put("answer", Integer.toString(problem.answer()));
        return row.toString();
    }

    /** The SFT conversations: {@link #ANSWER_LINE_SHARE} of them with the answer line, drawn by {@code seed}. */
    static List<String> sftLines(List<Problem> problems, long seed) {
        Random random = new Random(seed + 1);
        return problems.stream()
                .map(p -> chatLine(p, random.nextDouble() < ANSWER_LINE_SHARE ? p.response() : p.equation()))
                .toList();
    }

    /** {@code {"messages": [user, assistant]}}, the {@code chat} format. */
    static String chatLine(Problem problem, String response) {
        ObjectNode row = JSON.createObjectNode();
        var messages = row.putArray("messages");
        messages.addObject().put("role", "user").put("content", problem.prompt());
        messages.addObject().put("role", "assistant").put("content", response);
        return row.toString();
    }

    private static void writeLines(Path file, List<String> lines) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (String line : lines) {
                out.write(line);
                out.write('\n');
            }
        }
    }
}
