package dev.rlhf.sft.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Configs a careless or hostile client posts: each is refused with its status and a message naming the key, before
 * anything is queued, and the service keeps serving. The count of cases is in BENCHMARKS.md ("Reliability").
 */
@QuarkusTest
class HostileConfigTest {

    /** One bad post: overrides on a valid tiny job (or a body of its own), the answer's status and message fragment. */
    record Case(String body, List<String> set, String configs, int status, String message) {
        static Case set(String override, int status, String message) {
            return new Case(null, List.of(override), null, status, message);
        }
    }

    static final List<Case> CASES = List.of(
            Case.set("train.lrr=0.1", 400, "train.lrr"),
            Case.set("train.lr=fast", 400, "train.lr"),
            Case.set("train.batch_size=0", 400, "batch_size"),
            Case.set("seq_len=100000", 400, "seq_len: 100000 exceeds the model's max_position_embeddings 512"),
            Case.set("train.batch_size=1000000", 400, "train.batch_size, seq_len: the job's estimated peak memory"),
            Case.set("project=..", 400, "project: '..' cannot name a run directory"),
            Case.set("exp=..", 400, "exp: '..' cannot name a run directory"),
            Case.set("exp=.", 400, "exp: '.' cannot name a run directory"),
            Case.set("model.init=/etc/passwd", 400, "model.init: /etc/passwd is outside the allowed roots"),
            Case.set("output_dir=/etc", 400, "output_dir: /etc is outside the allowed roots"),
            Case.set("data.datasets=[{path: /proc/self/environ}]", 400, "data.datasets[0].path"),
            Case.set("resume=/root", 400, "resume: /root is outside"),
            Case.set("lora={r: 0, alpha: 8}", 400, "lora.r: must be at least 1"),
            Case.set("lora={r: 4, alpha: 8}", 400, "lora: needs model.path"),
            Case.set("model.adapter=/etc", 400, "model.adapter"),
            Case.set("resume=", 400, "resume"),
            new Case("{{{ not yaml", List.of(), null, 400, "request body"),
            new Case("[1, 2]", List.of(), null, 400, "request body"),
            new Case("", List.of(), "/etc/secrets.yaml", 400, "configs: /etc/secrets.yaml is outside"),
            new Case("", List.of(), "no-such-config", 400, "no-such-config"));

    @Test
    void everyHostileConfigIsRefusedNamingTheKeyAndTheServiceKeepsServing() throws Exception {
        Path output = Files.createTempDirectory("sft-hostile");
        String valid = TinyJobs.config(output, "hostile", 4);
        int before =
                given().get("/jobs").then().extract().jsonPath().getList("id").size();
        for (Case c : CASES) {
            var request = given().contentType("application/yaml")
                    .body((c.body() == null ? valid : c.body()).getBytes(StandardCharsets.UTF_8));
            for (String override : c.set()) {
                request = request.queryParam("set", override);
            }
            if (c.configs() != null) {
                request = request.queryParam("configs", c.configs());
            }
            Response response = request.post("/jobs");
            String shown = c + " -> " + response.statusCode() + " " + response.asString();
            assertEquals(c.status(), response.statusCode(), shown);
            assertTrue(response.jsonPath().getString("error").contains(c.message()), shown);
        }
        assertEquals(
                before,
                given().get("/jobs").then().extract().jsonPath().getList("id").size(),
                "none queued");
        given().get("/q/health/ready").then().statusCode(200).body(containsString("job-queue"));
    }
}
