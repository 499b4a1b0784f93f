package dev.rlhf.sft.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** With {@code rlhf.api.token} set, starting and cancelling jobs needs the bearer token; reading stays open. */
@QuarkusTest
@TestProfile(BearerTokenTest.WithToken.class)
class BearerTokenTest {

    private static final String TOKEN = "t0ken-for-tests";

    /** The token set, and jobs that finish without training (see {@link InstantJobRunner}). */
    public static class WithToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("rlhf.api.token", TOKEN);
        }

        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(InstantJobRunner.class);
        }
    }

    private static byte[] job() throws Exception {
        return TinySftJob.yaml(Files.createTempDirectory("sft-token"), "token");
    }

    @Test
    void postWithoutTheTokenIs401WithABearerChallenge() throws Exception {
        given().contentType("application/yaml")
                .body(job())
                .post("/jobs")
                .then()
                .statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer"))
                .contentType("application/json")
                .body("error", equalTo("POST needs the header 'Authorization: Bearer <token>'"));
        given().contentType("application/yaml")
                .auth()
                .preemptive()
                .basic("user", TOKEN)
                .body(job())
                .post("/jobs")
                .then()
                .statusCode(401);
    }

    @Test
    void aWrongTokenIs401() throws Exception {
        for (String wrong : new String[] {"t0ken-for-test", TOKEN + "s", "", "T0KEN-FOR-TESTS"}) {
            given().contentType("application/yaml")
                    .header("Authorization", "Bearer " + wrong)
                    .body(job())
                    .post("/jobs")
                    .then()
                    .statusCode(401)
                    .header("WWW-Authenticate", startsWith("Bearer"))
                    .body("error", equalTo("wrong bearer token"));
        }
    }

    @Test
    void theRightTokenStartsAndCancelsJobsAndReadsNeedNone() throws Exception {
        String id = given().contentType("application/yaml")
                .header("Authorization", "Bearer " + TOKEN)
                .body(job())
                .post("/jobs")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        given().get("/jobs").then().statusCode(200);
        given().get("/jobs/" + id).then().statusCode(200).body("id", equalTo(id));
        given().get("/jobs/" + id + "/metrics").then().statusCode(200);
        given().delete("/jobs/" + id).then().statusCode(401);
        given().header("Authorization", "bearer " + TOKEN)
                .delete("/jobs/" + id)
                .then()
                .statusCode(202);
    }

    @Test
    void pathsStayConfinedWithATokenToo() throws Exception {
        given().contentType("application/yaml")
                .header("Authorization", "Bearer " + TOKEN)
                .body(TinySftJob.yaml(Path.of("/opt/elsewhere"), "token"))
                .post("/jobs")
                .then()
                .statusCode(400)
                .body("error", startsWith("output_dir: /opt/elsewhere is outside the allowed roots"));
    }
}
