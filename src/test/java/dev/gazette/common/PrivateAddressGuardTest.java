package dev.gazette.common;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.gazette.testing.GazetteTest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * With the guard on, as in production, feed URLs and channel endpoints that point at the server's own network are
 * refused when saved, in every IPv6 spelling of an internal IPv4 address, and nothing is requested from them.
 */
@QuarkusTest
@TestProfile(PrivateAddressGuardTest.Guarded.class)
class PrivateAddressGuardTest extends GazetteTest {

    /** The production setting: private addresses refused. */
    public static class Guarded implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gazette.feeds.allow-private-addresses", "false", "gazette.social.allow-private-addresses", "false");
        }
    }

    private List<String> internalHosts() {
        return List.of("localhost", "127.0.0.1", "[::127.0.0.1]", "[::ffff:127.0.0.1]", "[64:ff9b::7f00:1]",
                "[64:ff9b::a9fe:a9fe]", "[2002:7f00:1::]", "[2001:0:4136:e378:8000:63bf:80ff:fffe]", "169.254.169.254");
    }

    @Test
    void feedUrlsPointingInsideAreRefused() {
        String token = fixtures.editorToken();
        for (String host : internalHosts()) {
            given().auth().oauth2(token).contentType(ContentType.JSON)
                    .body(Map.of("url", "http://" + host + ":" + wireMock.port() + "/feed.xml", "topics", List.of(),
                            "pollIntervalMinutes", 30))
                    .post("/api/v1/feeds").then().statusCode(400).contentType("application/problem+json")
                    .body("violations.field", hasItem("url"))
                    .body("violations[0].message", containsString("non-public address"));
        }
        assertEquals(0, wireMock.getAllServeEvents().size());
    }

    @Test
    void channelEndpointsPointingInsideAreRefused() {
        String token = fixtures.editorToken();
        for (String host : internalHosts()) {
            String base = "http://" + host + ":" + wireMock.port();
            given().auth().oauth2(token).contentType(ContentType.JSON)
                    .body(Map.of("network", "WEBHOOK", "name", "hook", "baseUrl", base + "/hook",
                            "credentials", Map.of("secret", "0123456789abcdef-secret")))
                    .post("/api/v1/channels").then().statusCode(400).contentType("application/problem+json")
                    .body("violations.field", hasItem("baseUrl"))
                    .body("violations.find { it.field == 'baseUrl' }.message", containsString("non-public address"));
            given().auth().oauth2(token).contentType(ContentType.JSON)
                    .body(Map.of("network", "MASTODON", "name", "masto", "baseUrl", base,
                            "credentials", Map.of("accessToken", "t")))
                    .post("/api/v1/channels").then().statusCode(400)
                    .body("violations.field", hasItem("baseUrl"));
        }
        assertEquals(0, wireMock.getAllServeEvents().size());
    }
}
