package dev.gazette.lifecycle;

import static dev.gazette.lifecycle.WebhookTestSupport.SECRET;
import static dev.gazette.lifecycle.WebhookTestSupport.endpoint;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gazette.social.CredentialCipher;
import dev.gazette.testing.GazetteTest;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * The endpoints API: write-only secrets sealed at rest, field-named problems for bad input, and editors only.
 */
@QuarkusTest
class WebhookApiTest extends GazetteTest {

    @Inject
    CredentialCipher cipher;

    private String token;

    @BeforeEach
    void editor() {
        token = fixtures.editorToken();
    }

    @Test
    void theSecretIsSealedAndNeverReturned() {
        long id = endpoint(token, wireMock.baseUrl(), "[\"subscriber.confirmed\", \"issue.sent\"]");

        String created = given().auth().oauth2(token).when().get("/api/v1/webhooks/" + id).then().statusCode(200)
                .body("name", equalTo("CRM")).body("events", equalTo(List.of("subscriber.confirmed", "issue.sent")))
                .body("active", equalTo(true)).body("paused", equalTo(false)).extract().asString();
        String list = given().auth().oauth2(token).when().get("/api/v1/webhooks").then().statusCode(200).extract().asString();
        String patched = given().auth().oauth2(token).contentType("application/json")
                .body("{\"active\": false, \"secret\": \"another-secret-0123456789\"}")
                .when().patch("/api/v1/webhooks/" + id).then().statusCode(200).body("active", equalTo(false))
                .extract().asString();
        for (String body : List.of(created, list, patched)) {
            org.hamcrest.MatcherAssert.assertThat(body, not(containsString(SECRET)));
            org.hamcrest.MatcherAssert.assertThat(body, not(containsString("another-secret")));
            org.hamcrest.MatcherAssert.assertThat(body, not(containsString("secret")));
        }
        byte[] stored = QuarkusTransaction.requiringNew().call(() -> WebhookEndpoint.<WebhookEndpoint> findById(id).secret);
        org.hamcrest.MatcherAssert.assertThat(new String(stored, java.nio.charset.StandardCharsets.ISO_8859_1),
                not(containsString("another-secret")));
        assertEquals("another-secret-0123456789", cipher.open(stored, WebhookEndpoints.PURPOSE));
    }

    @Test
    void badInputIsAProblemNamingTheField() {
        given().auth().oauth2(token).contentType("application/json")
                .body("{\"name\": \"CRM\", \"url\": \"ftp://example.org/x\", \"secret\": \"short\", \"events\": [\"issue.sold\"]}")
                .when().post("/api/v1/webhooks").then().statusCode(400).contentType("application/problem+json")
                .body("violations.field", hasItem("url")).body("violations.field", hasItem("secret"))
                .body("violations.field", hasItem("events"));
        given().auth().oauth2(token).contentType("application/json").body("{\"name\": \"CRM\"}")
                .when().post("/api/v1/webhooks").then().statusCode(400).contentType("application/problem+json")
                .body("violations.field", hasItem("url")).body("violations.field", hasItem("secret"));
        given().auth().oauth2(token).contentType("application/json").body("{\"name\": \"CRM\", \"url\": \"http://exa mple\"}")
                .when().post("/api/v1/webhooks").then().statusCode(400).contentType("application/problem+json")
                .body("violations.field", hasItem("url"));
        given().auth().oauth2(token).when().get("/api/v1/webhooks/999").then().statusCode(404)
                .contentType("application/problem+json");
        given().when().get("/api/v1/webhooks").then().statusCode(401);
    }
}
