package dev.gazette.admin;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.gazette.testing.Fixtures;
import dev.gazette.testing.GazetteTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class TokenApiTest extends GazetteTest {

    private static final String TOKENS = "/api/v1/tokens";

    @Test
    void shouldCreateFirstTokenWithAdminPasswordAndUseIt() {
        fixtures.admin();
        String token = given().auth().preemptive().basic(Fixtures.ADMIN, Fixtures.ADMIN_PASSWORD)
                .contentType(ContentType.JSON).body("{\"name\": \"CMS\"}")
                .when().post(TOKENS)
                .then().statusCode(201)
                .header("Location", containsString("/api/v1/tokens/"))
                .body("name", equalTo("CMS"))
                .body("username", equalTo(Fixtures.ADMIN))
                .body("token", startsWith("gz_"))
                .extract().path("token");

        given().auth().oauth2(token)
                .when().get(TOKENS)
                .then().statusCode(200)
                .body("$", hasSize(1))
                .body("[0].name", equalTo("CMS"))
                .body("[0].prefix", equalTo(token.substring(0, 10)))
                .body("[0]", not(org.hamcrest.Matchers.hasKey("token")))
                .body("[0].lastUsedAt", notNullValue());
    }

    @Test
    void shouldRejectWrongPassword() {
        fixtures.admin();
        given().auth().preemptive().basic(Fixtures.ADMIN, "not-the-password")
                .contentType(ContentType.JSON).body("{\"name\": \"CMS\"}")
                .when().post(TOKENS)
                .then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body("status", equalTo(401));
    }

    @Test
    void shouldRequireBearerTokenOutsideTheTokenEndpoint() {
        fixtures.admin();
        given().auth().preemptive().basic(Fixtures.ADMIN, Fixtures.ADMIN_PASSWORD)
                .when().get("/api/v1/users")
                .then().statusCode(401)
                .contentType("application/problem+json");
    }

    @Test
    void shouldAnswerUnauthenticatedRequestsWithProblem() {
        given().when().get(TOKENS)
                .then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer realm=\"Gazette\"")
                .body("title", equalTo("Unauthorized"))
                .body("instance", equalTo(TOKENS));
        given().auth().oauth2("gz_forged").when().get(TOKENS).then().statusCode(401);
    }

    @Test
    void shouldRefuseEditors() {
        String editor = fixtures.editorToken();
        given().auth().oauth2(editor).contentType(ContentType.JSON).body("{\"name\": \"mine\"}")
                .when().post(TOKENS)
                .then().statusCode(403)
                .contentType("application/problem+json")
                .body("title", equalTo("Forbidden"));
    }

    @Test
    void shouldStopAcceptingRevokedToken() {
        String admin = fixtures.adminToken();
        String other = given().auth().oauth2(admin).contentType(ContentType.JSON).body("{\"name\": \"temporary\"}")
                .when().post(TOKENS).then().statusCode(201).extract().path("token");
        int id = given().auth().oauth2(admin).when().get(TOKENS).then().extract()
                .path("find { it.name == 'temporary' }.id");

        given().auth().oauth2(other).when().get(TOKENS).then().statusCode(200);
        given().auth().oauth2(admin).when().delete(TOKENS + "/" + id).then().statusCode(204);
        given().auth().oauth2(admin).when().delete(TOKENS + "/" + id).then().statusCode(204);

        given().auth().oauth2(other).when().get(TOKENS).then().statusCode(401);
        given().auth().oauth2(admin).when().get(TOKENS + "/" + id)
                .then().statusCode(200).body("revokedAt", notNullValue());
    }

    @Test
    void shouldStopAcceptingExpiredToken() {
        String admin = fixtures.adminToken();
        String expiring = given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"name\": \"short\", \"expiresInDays\": 1}")
                .when().post(TOKENS).then().statusCode(201)
                .body("expiresAt", equalTo("2026-03-03T09:00:00Z"))
                .extract().path("token");

        given().auth().oauth2(expiring).when().get(TOKENS).then().statusCode(200);
        clock.advance(Duration.ofDays(1));
        given().auth().oauth2(expiring).when().get(TOKENS).then().statusCode(401);
    }

    @Test
    void shouldCreateTokenForAnotherUser() {
        String admin = fixtures.adminToken();
        fixtures.editorToken();
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("{\"name\": \"for editor\", \"username\": \"Editor\"}")
                .when().post(TOKENS)
                .then().statusCode(201).body("username", equalTo(Fixtures.EDITOR));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("{\"name\": \"nobody\", \"username\": \"ghost\"}")
                .when().post(TOKENS)
                .then().statusCode(400).body("violations[0].field", equalTo("username"));
    }

    @Test
    void shouldNameEachInvalidField() {
        String admin = fixtures.adminToken();
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("{\"name\": \" \", \"expiresInDays\": 0}")
                .when().post(TOKENS)
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("title", equalTo("Bad Request"))
                .body("violations.field", hasItem("name"))
                .body("violations.field", hasItem("expiresInDays"))
                .body("violations", hasSize(2))
                .body(not(containsString("Exception")));
    }

    @Test
    void shouldExplainMalformedJson() {
        String admin = fixtures.adminToken();
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("{\"name\": ")
                .when().post(TOKENS)
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", equalTo("The request body is not valid JSON."))
                .body(not(containsString("jackson")));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("{\"name\": \"x\", \"expiresInDays\": \"soon\"}")
                .when().post(TOKENS)
                .then().statusCode(400)
                .body("violations[0].field", equalTo("expiresInDays"));
    }

    @Test
    void shouldAnswerUnknownIdWith404Problem() {
        String admin = fixtures.adminToken();
        given().auth().oauth2(admin).when().get(TOKENS + "/999")
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("detail", equalTo("API token 999 does not exist."))
                .body("violations", nullValue());
        given().auth().oauth2(admin).when().delete(TOKENS + "/999").then().statusCode(404);
    }
}
