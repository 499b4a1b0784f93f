package dev.rlhf.rl.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * The PPO service serves the shared job API and dashboard from trainer-common's jar, without training anything (the
 * PPO run itself is {@code PpoJobResourceTest}).
 */
@QuarkusTest
class DashboardServedTest {

    @Test
    void theDashboardAndItsScriptsAreServed() {
        given().get("/").then().statusCode(200).body(containsString("<title>RLHF trainer jobs</title>"));
        given().get("/js/dashboard.js").then().statusCode(200).contentType(containsString("javascript"));
        given().get("/css/dashboard.css").then().statusCode(200);
        given().get("/jobs").then().statusCode(200).contentType(containsString("json"));
        given().get("/jobs/nope/samples").then().statusCode(404);
    }
}
