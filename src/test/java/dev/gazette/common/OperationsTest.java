package dev.gazette.common;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import org.junit.jupiter.api.Test;

import dev.gazette.testing.GazetteTest;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class OperationsTest extends GazetteTest {

    @Test
    void shouldBeLiveAndReadyWithDatabase() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("Database"));
    }

    @Test
    void shouldExposePrometheusMetrics() {
        given().when().get("/q/metrics")
                .then().statusCode(200)
                .body(containsString("jvm_memory_used_bytes"));
    }

    @Test
    void shouldDocumentTheApi() {
        given().accept("application/json").when().get("/q/openapi")
                .then().statusCode(200)
                .body("paths", org.hamcrest.Matchers.hasKey("/api/v1/tokens"))
                .body("info.title", equalTo("Gazette API"));
        given().when().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void shouldRefuseLargeBodiesOutsideImports() {
        byte[] big = new byte[3 * 1024 * 1024];
        java.util.Arrays.fill(big, (byte) 'a');
        given().contentType("application/json").body(big).when().post("/subscribe").then().statusCode(413);
        given().contentType("application/x-www-form-urlencoded").body(new String(big, java.nio.charset.StandardCharsets.US_ASCII))
                .when().post("/confirm/x").then().statusCode(413);
        // one-click unsubscribe never reads the body: the (forged) token alone decides
        given().contentType("application/x-www-form-urlencoded").body(new String(big, java.nio.charset.StandardCharsets.US_ASCII))
                .when().post("/u/x").then().statusCode(400);
    }

    @Test
    void shouldAnswerUnknownApiPathWithProblem() {
        given().when().get("/api/v1/nothing-here")
                .then().statusCode(404)
                .contentType("application/problem+json");
    }
}
