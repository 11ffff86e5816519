package dev.gazette.social;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gazette.testing.GazetteTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * A channel's credentials go into the Authorization header of every call to its network: a line break or other control
 * character in one is refused when saved, naming the credential.
 */
@QuarkusTest
class ChannelCredentialHeaderTest extends GazetteTest {

    private String editor;

    @BeforeEach
    void editor() {
        editor = fixtures.editorToken();
    }

    @Test
    void shouldRefuseControlCharactersInACredential() {
        Map<String, Object> channel = Map.of("network", "LINKEDIN", "name", "linkedin", "account", "urn:li:organization:777",
                "credentials", Map.of("accessToken", "li-token\r\nX-Injected: yes"));
        given().auth().oauth2(editor).contentType(ContentType.JSON).body(channel).post("/api/v1/channels")
                .then().statusCode(400).contentType("application/problem+json")
                .body("violations.field", hasItem("credentials.accessToken"));

        long id = ((Number) given().auth().oauth2(editor).contentType(ContentType.JSON)
                .body(Map.of("network", "LINKEDIN", "name", "linkedin", "account", "urn:li:organization:777",
                        "credentials", Map.of("accessToken", "li-token")))
                .post("/api/v1/channels").then().statusCode(201).extract().path("id")).longValue();
        given().auth().oauth2(editor).contentType(ContentType.JSON)
                .body(Map.of("credentials", Map.of("accessToken", "li\u0000token")))
                .patch("/api/v1/channels/" + id)
                .then().statusCode(400).body("violations[0].field", equalTo("credentials.accessToken"));
    }
}
