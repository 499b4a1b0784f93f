package dev.rlhf.rl.job;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.core.checkpoint.HfCheckpoint;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.LlamaConfig;
import dev.rlhf.core.model.RewardModel;
import dev.rlhf.core.tokenizer.Tokenizer;
import dev.rlhf.rl.testing.YesNoTask;
import dev.rlhf.service.jobs.testing.JobApi;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rl-trainer's second kind of job, {@code POST /jobs?kind=eval}: two random tiny models judged by a random reward
 * model through the job API, {@code eval.json} in the run directory (and at {@code GET /jobs/{id}/eval}, which the
 * dashboard shows) and the win rate in the job's metrics; an LLM
 * judge outside the endpoint allow-list and an unknown kind are 400s naming the key.
 */
@QuarkusTest
class EvalJobResourceTest {

    private static final Path ROOT = YesNoTask.ROOT;
    private static Path dir;
    private static Path tokenizer;

    @BeforeAll
    static void models() throws Exception {
        dir = Files.createTempDirectory("eval-job");
        tokenizer = ROOT.resolve("configs/tokenizer/shakespeare-2k");
        Path shape = ROOT.resolve("configs/model/tiny.json");
        LlamaConfig tiny;
        try (Tokenizer t = Tokenizer.load(tokenizer)) {
            tiny = LlamaConfig.parse(LlamaConfig.readTree(shape).put("vocab_size", t.vocabSize()), shape);
        }
        for (long seed : new long[] {1, 2}) {
            try (LanguageModel lm = LanguageModel.create(tiny, seed)) {
                HfCheckpoint.save(lm, dir.resolve("m" + seed), tokenizer);
            }
        }
        try (RewardModel rm = RewardModel.withNewHead(LanguageModel.create(tiny, 3), 4);
                Tokenizer t = Tokenizer.load(tokenizer)) {
            HfCheckpoint.saveRewardModel(
                    rm, dir.resolve("rm"), tokenizer, t.padId().orElse(t.eosId()));
        }
        List<String> prompts = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            prompts.add("{\"prompt\": \"is " + i + " a number?\"}");
        }
        Files.write(dir.resolve("prompts.jsonl"), prompts);
    }

    private static String config(String... more) {
        List<String> lines = new ArrayList<>(List.of(
                "prompts: {path: " + dir.resolve("prompts.jsonl") + "}",
                "models: [{name: a, path: " + dir.resolve("m1") + "}, {name: b, path: " + dir.resolve("m2") + "}]",
                "reference: a",
                "generation: {max_new_tokens: 4}",
                "output_dir: " + dir.resolve("runs")));
        lines.addAll(List.of(more));
        return String.join("\n", lines);
    }

    private static Response post(String kind, String yaml) {
        return given().contentType("application/yaml")
                .queryParam("kind", kind)
                .body(yaml.getBytes(StandardCharsets.UTF_8))
                .post("/jobs");
    }

    @Test
    void anEvaluationRunsAsAJobOfItsOwnKind() throws Exception {
        Response accepted = post("eval", config("judges: {reward_model: " + dir.resolve("rm") + "}", "exp: api"));
        assertEquals(202, accepted.statusCode(), accepted.asString());
        String id = accepted.path("id");
        JsonPath done = JobApi.awaitEnd(id, Duration.ofMinutes(3));
        assertEquals("succeeded", done.getString("state"), done.prettify());

        JsonNode report = new ObjectMapper()
                .readTree(
                        Path.of(done.getString("run_dir")).resolve("eval.json").toFile());
        JsonNode rm = report.get("comparisons").get(0).get("reward_model");
        assertEquals(
                6,
                rm.get("wins").asInt()
                        + rm.get("ties").asInt()
                        + rm.get("losses").asInt());
        int served = given().get("/jobs/" + id + "/eval")
                .then()
                .statusCode(200)
                .extract()
                .path("prompts");
        assertEquals(6, served, "the dashboard's source: GET /jobs/{id}/eval");
        List<Map<String, Object>> series = JobApi.metrics(id);
        assertTrue(
                series.get(series.size() - 1).containsKey("eval/reward_model/win_rate/b"),
                "the headline in the job's metrics: " + series);
    }

    @Test
    void aJudgeOutsideTheAllowListAndAnUnknownKindAreRefusedNamingTheKey() {
        Response judge = post("eval", config("judges: {llm: {base_url: 'http://10.9.8.7:8080/v1'}}", "exp: far"));
        assertEquals(400, judge.statusCode(), judge.asString());
        assertTrue(judge.asString().contains("judges.llm.base_url"), judge.asString());
        Response kind = post("grade", config("exp: kind"));
        assertEquals(400, kind.statusCode(), kind.asString());
        assertTrue(kind.asString().contains("kind: 'grade'"), kind.asString());
    }
}
