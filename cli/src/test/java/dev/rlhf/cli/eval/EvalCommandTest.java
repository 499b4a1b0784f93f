package dev.rlhf.cli.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.cli.RlhfCli;
import dev.rlhf.core.checkpoint.HfCheckpoint;
import dev.rlhf.core.eval.Outcome;
import dev.rlhf.core.eval.Verdict;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.RewardModel;
import dev.rlhf.core.model.TestModels;
import dev.rlhf.core.tokenizer.Tokenizer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ./rlhf eval} as a user runs it: two tiny models (and the baseline again) answer held-out prompts with one
 * seed, judged by a reward model and by an LLM judge (a template of the test's own) that is a real model served by the
 * packaged gateway over real HTTP; an unreachable judge and a missing model end with one line naming them.
 */
class EvalCommandTest {

    private static final int PROMPTS = 5;

    @TempDir
    static Path dir;

    private static Path tokenizer;
    private static Path baseline;
    private static Path candidate;
    private static Path rewardModel;
    private static Path prompts;
    /** A short judge template: the tiny judge model has 128 positions. */
    private static Path template;

    private StringWriter out;
    private StringWriter err;

    @BeforeAll
    static void models() throws Exception {
        tokenizer = TinyModels.tokenizer(dir);
        baseline = TinyModels.model(dir, tokenizer, 5, "baseline");
        candidate = TinyModels.model(dir, tokenizer, 6, "candidate");
        rewardModel = dir.resolve("rm");
        try (RewardModel rm = RewardModel.withNewHead(
                        LanguageModel.create(TestModels.tiny(TinyModels.VOCAB, 4, 2, true), 7), 8);
                Tokenizer t = Tokenizer.load(tokenizer)) {
            HfCheckpoint.saveRewardModel(rm, rewardModel, tokenizer, t.padId().orElse(t.eosId()));
        }
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            rows.add(
                    "{\"prompt\": \"which answer is better, " + i + "?\", \"chosen\": \"this\", \"rejected\": \"no\"}");
        }
        prompts = Files.write(dir.resolve("pairs.jsonl"), rows);
        template = Files.writeString(
                dir.resolve("judge.txt"), "Q: {question}\nA: {answer_a}\nB: {answer_b}\nBetter, [[A]] or [[B]]?");
    }

    private int eval(String... sets) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine cli = RlhfCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        List<String> args = new ArrayList<>(
                List.of("eval", "--config-dir", dir.resolve("none").toString()));
        for (String s : Stream.concat(
                        Stream.of(
                                "prompts.path=" + prompts,
                                "prompts.split=" + PROMPTS,
                                "prompts.seed=3",
                                "models=[{name: sft, path: " + baseline + "}, {name: rl, path: " + candidate
                                        + "}, {name: sft-again, path: " + baseline + "}]",
                                "reference=sft",
                                "generation.max_new_tokens=8",
                                "judges.reward_model=" + rewardModel,
                                "judges.llm.max_tokens=12",
                                "judges.llm.template=" + template,
                                "output_dir=" + dir.resolve("runs")),
                        Stream.of(sets))
                .toList()) {
            args.add("--set");
            args.add(s);
        }
        return cli.execute(args.toArray(String[]::new));
    }

    @Test
    void bothJudgesDecideEveryPromptAndEveryVerdictIsReported() throws Exception {
        JsonNode report;
        try (JudgeGateway judge = JudgeGateway.start(baseline, "judge", dir.resolve("judge.log"))) {
            assertEquals(0, eval("judges.llm.base_url=" + judge.baseUrl(), "exp=both"), err.toString());
            report = new ObjectMapper()
                    .readTree(dir.resolve("runs/eval/both/eval.json").toFile());
        }
        assertTrue(out.toString().contains("## rl vs sft"), out.toString());
        assertEquals(PROMPTS, report.get("prompts").asInt());
        assertEquals(0.0, report.get("models").get(0).get("mean_kl").asDouble(), 1e-4, "the reference against itself");
        assertTrue(report.get("models").get(1).get("mean_kl").isNumber());

        JsonNode rl = report.get("comparisons").get(0);
        assertEquals("rl", rl.get("candidate").asText());
        assertEquals(PROMPTS, total(rl.get("reward_model")));
        assertEquals(PROMPTS, total(rl.get("llm")));
        assertNotNull(rl.get("agreement"));
        for (JsonNode row : rl.get("prompts")) {
            double mine = row.get("candidate_reward").asDouble();
            double theirs = row.get("baseline_reward").asDouble();
            String expected = mine > theirs ? "WIN" : mine < theirs ? "LOSS" : "TIE";
            assertEquals(expected, row.get("reward_model_outcome").asText());
            JsonNode llm = row.get("llm");
            assertEquals(
                    Verdict.parse(llm.get("raw_in_order").asText()).name(),
                    llm.get("in_order").asText());
            assertEquals(
                    Verdict.parse(llm.get("raw_swapped").asText()).name(),
                    llm.get("swapped").asText());
            if (llm.get("in_order").asText().equals("INVALID")) {
                assertEquals(Outcome.INVALID.name(), llm.get("outcome").asText(), "never a silent tie");
            }
        }

        JsonNode same = report.get("comparisons").get(1);
        assertEquals(PROMPTS, same.get("reward_model").get("ties").asInt(), "one seed: the same model answers alike");
        for (JsonNode row : same.get("prompts")) {
            assertEquals(row.get("baseline_answer"), row.get("candidate_answer"));
        }
        String md = Files.readString(dir.resolve("runs/eval/both/eval.md"));
        assertTrue(md.contains("Wilson"), md);
        assertTrue(md.contains("The LLM judge's texts"), md);
        String raw = rl.get("prompts").get(0).get("llm").get("raw_in_order").asText();
        assertTrue(
                md.contains(raw.replace("`", "'").replaceAll("\\s*\\R\\s*", " ").strip()), "raw text in eval.md");
    }

    private static int total(JsonNode rate) {
        return rate.get("wins").asInt()
                + rate.get("ties").asInt()
                + rate.get("losses").asInt()
                + rate.get("invalid").asInt();
    }

    @Test
    void anUnreachableJudgeIsOneLineNamingItsUrlAfterTheRetries() throws Exception {
        String url = "http://127.0.0.1:" + JudgeGateway.freePort() + "/v1";
        int code = eval(
                "judges.llm.base_url=" + url,
                "judges.llm.retries=1",
                "judges.llm.timeout_seconds=2",
                "models=[{name: sft, path: " + baseline + "}, {name: rl, path: " + candidate + "}]",
                "exp=down");
        assertEquals(RlhfCli.BAD_INPUT, code, err.toString());
        String line = err.toString().strip();
        assertFalse(line.contains("\n"), line);
        assertTrue(line.contains(url + "/chat/completions") && line.contains("after 2 tries"), line);
    }

    @Test
    void aMissingModelOrPromptFileIsOneLineNamingTheKey() {
        assertEquals(
                RlhfCli.BAD_INPUT,
                eval(
                        "models=[{name: sft, path: " + baseline + "}, {name: rl, path: " + dir.resolve("nope") + "}]",
                        "exp=missing"));
        assertTrue(err.toString().contains("models[1].path: no such model directory"), err.toString());
        assertEquals(RlhfCli.BAD_INPUT, eval("prompts.path=" + dir.resolve("nope.jsonl"), "exp=missing"));
        assertTrue(err.toString().contains("prompts.path: no such file"), err.toString());
        assertFalse(Files.exists(dir.resolve("runs/eval/missing")), "no run directory for a refused job");
    }
}
