package dev.rlhf.sft.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Paths in jobs posted to the API stay inside {@code rlhf.api.path-roots} (in tests: the repository, the shared data
 * and the temporary directory): a {@code ..} escape, an absolute path elsewhere or a symbolic link out is refused
 * with 400 naming the key, before any run directory is made; paths inside still train.
 */
@QuarkusTest
class PathConfinementTest {

    private static String refusal(byte[] body) {
        return given().contentType("application/yaml")
                .body(body)
                .post("/jobs")
                .then()
                .statusCode(400)
                .extract()
                .path("error");
    }

    @Test
    void aDotDotEscapeIsRefusedNamingTheKey() throws Exception {
        Path output = Files.createTempDirectory("sft-confined");
        String error = refusal(TinySftJob.yaml(output, "dotdot", "../../../../../../../../etc/passwd"));
        assertTrue(
                error.startsWith(
                        "data.datasets[0].path: ../../../../../../../../etc/passwd is outside the allowed roots"),
                error);
        assertFalse(Files.exists(output.resolve("sft")), "no run directory for a refused job");
    }

    @Test
    void anAbsolutePathOutsideTheRootsIsRefused() throws Exception {
        Path output = Files.createTempDirectory("sft-confined");
        given().contentType("application/yaml")
                .queryParam("set", "model.tokenizer=/etc")
                .body(TinySftJob.yaml(output, "absolute"))
                .post("/jobs")
                .then()
                .statusCode(400)
                .body("error", startsWith("model.tokenizer: /etc is outside the allowed roots"));
        Path elsewhere = Path.of("/opt/rlhf-confinement-test");
        given().contentType("application/yaml")
                .queryParam("set", "output_dir=" + elsewhere)
                .body(TinySftJob.yaml(output, "absolute"))
                .post("/jobs")
                .then()
                .statusCode(400)
                .body("error", startsWith("output_dir: " + elsewhere + " is outside the allowed roots"));
        assertFalse(Files.exists(elsewhere), "the refused output_dir was not created");
    }

    @Test
    void aSymbolicLinkOutOfARootIsRefused() throws Exception {
        Path output = Files.createTempDirectory("sft-confined");
        Path link = Files.createSymbolicLink(output.resolve("etc"), Path.of("/etc"));
        given().contentType("application/yaml")
                .queryParam("set", "model.init=" + link.resolve("hostname"))
                .body(TinySftJob.yaml(output, "symlink"))
                .post("/jobs")
                .then()
                .statusCode(400)
                .body(
                        "error",
                        equalTo("model.init: " + output.getFileName() + "/etc/hostname leads through a symbolic link"
                                + " to a place outside the allowed roots"));
        given().contentType("application/yaml")
                .body(TinySftJob.yaml(link.resolve("runs"), "symlink"))
                .post("/jobs")
                .then()
                .statusCode(400)
                .body("error", startsWith("output_dir: " + output.getFileName() + "/etc/runs leads through"));
    }

    /**
     * A 400 says a path inside the roots relative to its root (here the temporary directory), whether the user wrote
     * it absolute or the server resolved it: a client learns no absolute path of the server.
     */
    @Test
    void errorsSayPathsRelativeToTheirRoot() throws Exception {
        Path output = Files.createTempDirectory("sft-relative");
        Path missing = output.resolve("no-model");
        String error = given().contentType("application/yaml")
                .queryParam("set", "model.init=" + missing)
                .body(TinySftJob.yaml(output, "relative"))
                .post("/jobs")
                .then()
                .statusCode(400)
                .extract()
                .path("error");
        assertTrue(error.contains(output.getFileName() + "/no-model"), error);
        assertFalse(error.contains(output.getParent().toString() + "/"), error);
    }

    @Test
    void aConfigFileNamedByPathOutsideTheRootsIsNotRead() throws Exception {
        Path output = Files.createTempDirectory("sft-confined");
        given().contentType("application/yaml")
                .queryParam("configs", "/etc/hostname.yaml")
                .body(TinySftJob.yaml(output, "configs"))
                .post("/jobs")
                .then()
                .statusCode(400)
                .body("error", startsWith("configs: /etc/hostname.yaml is outside the allowed roots"));
    }

    @Test
    void relativePathsInsideTheRootsAreAccepted() throws Exception {
        Path output = Files.createTempDirectory("sft-confined");
        String id = given().contentType("application/yaml")
                .body(TinySftJob.yaml(output, "inside"))
                .post("/jobs")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        // The job is accepted; it need not train here (JobResourceTest does), and must not hold the shared queue.
        given().delete("/jobs/" + id).then().statusCode(202);
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        String state;
        while (!List.of("cancelled", "succeeded")
                .contains(
                        state = given().get("/jobs/" + id)
                                .then()
                                .statusCode(200)
                                .extract()
                                .path("state"))) {
            assertTrue(System.nanoTime() < deadline, "job " + id + " still " + state);
            Thread.sleep(100);
        }
    }
}
