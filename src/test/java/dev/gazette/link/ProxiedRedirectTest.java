package dev.gazette.link;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Behind a reverse proxy that Quarkus is told to trust, the visitor is the address the proxy forwards.
 */
@QuarkusTest
@TestProfile(ProxiedRedirectTest.BehindProxy.class)
class ProxiedRedirectTest extends LinkTestBase {

    /** Quarkus' own proxy support, trusting the loopback address the tests connect from. */
    public static class BehindProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.proxy.proxy-address-forwarding", "true",
                    "quarkus.http.proxy.allow-x-forwarded", "true",
                    "quarkus.http.proxy.trusted-proxies", "127.0.0.1");
        }
    }

    @Test
    void shouldTellVisitorsApartByForwardedAddress() {
        TrackedLink link = campaign("https://news.example.org/story", Utm.NONE);
        for (String ip : new String[] { "203.0.113.7", "198.51.100.23", "203.0.113.7" }) {
            given().redirects().follow(false).header("User-Agent", CHROME).header("X-Forwarded-For", ip)
                    .when().get("/r/" + link.code).then().statusCode(302);
        }
        assertEquals(new LinkCounts(0, 2, 2, 0, 0), flushedCounts(link));
    }
}
