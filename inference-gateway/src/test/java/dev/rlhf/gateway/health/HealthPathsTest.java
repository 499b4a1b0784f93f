package dev.rlhf.gateway.health;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.rlhf.gateway.TestRepository;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Path;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** {@code /q/health} names each repository model's file relative to the repository, never the server's path. */
@QuarkusTest
@WithTestResource(TestRepository.class)
class HealthPathsTest {

    @Test
    void modelsAreListedRelativeToTheRepository() {
        Path repo = Path.of(ConfigProvider.getConfig().getValue("gateway.repo", String.class));
        String body =
                given().get("/q/health/ready").then().statusCode(200).extract().asString();
        assertFalse(body.contains(repo.toAbsolutePath().toString()), body);
        assertFalse(body.contains(repo.getParent().toString()), body);
        assertEquals(
                "rm/1/model.onnx",
                given().get("/q/health/ready").jsonPath().getString("checks.find { it.name == 'models' }.data.rm"));
    }
}
