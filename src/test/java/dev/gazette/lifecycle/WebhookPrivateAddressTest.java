package dev.gazette.lifecycle;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.gazette.testing.GazetteTest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * With the default {@code gazette.webhooks.allow-private-addresses=false}, an endpoint URL that points into the server's
 * own network is refused when saved.
 */
@QuarkusTest
@TestProfile(WebhookPrivateAddressTest.Profile.class)
class WebhookPrivateAddressTest extends GazetteTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gazette.webhooks.allow-private-addresses", "false");
        }
    }

    @Test
    void aPrivateUrlIsRefusedNamingTheField() {
        String token = fixtures.editorToken();
        for (String url : new String[] { "http://127.0.0.1:8080/hook", "http://10.1.2.3/hook", "http://[::1]/hook",
                "http://169.254.169.254/latest/meta-data" }) {
            given().auth().oauth2(token).contentType("application/json")
                    .body("{\"name\": \"Inside\", \"url\": \"" + url + "\", \"secret\": \"receiver-secret-0123456789\"}")
                    .when().post("/api/v1/webhooks").then().statusCode(400).contentType("application/problem+json")
                    .body("violations[0].field", equalTo("url")).body("violations[0].message", containsString("private"));
        }
        given().auth().oauth2(token).when().get("/api/v1/webhooks").then().statusCode(200).body("size()", equalTo(0));
    }
}
