package dev.gazette.admin.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gazette.testing.Fixtures;
import dev.gazette.testing.GazetteTest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Behind a proxy that ends TLS, the request reaching Gazette is plain HTTP; the https base URL alone makes the session
 * cookie {@code Secure}, so a browser never sends it over plain HTTP.
 */
@QuarkusTest
@TestProfile(SessionCookieTest.HttpsSite.class)
class SessionCookieTest extends GazetteTest {

    /** A site whose public address is https. */
    public static class HttpsSite implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gazette.site.base-url", "https://news.example.org");
        }
    }

    @BeforeEach
    void admin() {
        fixtures.admin();
    }

    private static List<String> attributes(Response response) {
        String header = response.getHeaders().getValues("Set-Cookie").stream().filter(c -> c.startsWith("gazette-session="))
                .findFirst().orElseThrow();
        return List.of(header.toLowerCase(Locale.ROOT).split(";\\s*"));
    }

    @Test
    void theSessionCookieIsSecureHttpOnlyAndStrictWhenTheSiteIsHttps() {
        Response login = given().redirects().follow(false).contentType(ContentType.URLENC)
                .formParam("j_username", Fixtures.ADMIN).formParam("j_password", Fixtures.ADMIN_PASSWORD)
                .post("/admin/j_security_check");
        assertEquals(302, login.statusCode());
        List<String> attributes = attributes(login);
        assertTrue(attributes.contains("secure"), attributes.toString());
        assertTrue(attributes.contains("httponly"), attributes.toString());
        assertTrue(attributes.contains("samesite=strict"), attributes.toString());
        assertTrue(attributes.contains("path=/"), attributes.toString());

        // the cookie that ends the session at logout carries the same attributes
        String cookie = login.getCookie("gazette-session");
        String page = given().cookie("gazette-session", cookie).get("/admin/users").then().statusCode(200).extract().asString();
        java.util.regex.Matcher token = java.util.regex.Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"").matcher(page);
        assertTrue(token.find());
        Response logout = given().redirects().follow(false).cookie("gazette-session", cookie).contentType(ContentType.URLENC)
                .formParam("csrf-token", token.group(1)).post("/admin/logout");
        assertEquals(303, logout.statusCode());
        List<String> cleared = attributes(logout);
        assertTrue(cleared.contains("secure") && cleared.contains("httponly") && cleared.contains("max-age=0"), cleared.toString());
    }
}
