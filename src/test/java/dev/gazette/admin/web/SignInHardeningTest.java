package dev.gazette.admin.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gazette.admin.User;
import dev.gazette.testing.Fixtures;
import dev.gazette.testing.GazetteTest;
import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * bcrypt's 72-byte limit, the cost of password hashes, CSRF tokens bound to one session, and the login page with an
 * API token in the request.
 */
@QuarkusTest
class SignInHardeningTest extends GazetteTest {

    private static final Pattern CSRF = Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"");
    private static final String COOKIE = "gazette-session";
    private static final String LONG_A = "p".repeat(72) + "A";
    private static final String LONG_B = "p".repeat(72) + "B";

    private String adminToken;

    @BeforeEach
    void admin() {
        adminToken = fixtures.adminToken();
    }

    private static Response signIn(String user, String password) {
        return given().redirects().follow(false).contentType(ContentType.URLENC).formParam("j_username", user)
                .formParam("j_password", password).post("/admin/j_security_check");
    }

    private static String session(String user, String password) {
        Response login = signIn(user, password);
        assertEquals(302, login.statusCode());
        assertTrue(login.header("Location").endsWith("/admin"), login.header("Location"));
        return login.getCookie(COOKIE);
    }

    private static String csrf(String cookie) {
        Matcher m = CSRF.matcher(given().cookie(COOKIE, cookie).get("/admin/users").then().statusCode(200).extract().asString());
        assertTrue(m.find(), "a CSRF field");
        return m.group(1);
    }

    private static void setHash(String username, String hash) {
        QuarkusTransaction.requiringNew().run(() -> User.findByUsername(username).orElseThrow().passwordHash = hash);
    }

    private static String hash(String username) {
        return QuarkusTransaction.requiringNew().call(() -> User.findByUsername(username).orElseThrow().passwordHash);
    }

    @Test
    void aPasswordOver72BytesIsRefusedWhenSetNamingTheField() {
        given().auth().oauth2(adminToken).contentType(ContentType.JSON)
                .body("{\"username\": \"jane\", \"password\": \"" + LONG_A + "\", \"role\": \"editor\"}").post("/api/v1/users")
                .then().statusCode(400).contentType("application/problem+json").body("violations.field", hasItem("password"))
                .body(containsString("72 bytes"));
        // 36 two-byte letters are 72 bytes: accepted; one more is not
        given().auth().oauth2(adminToken).contentType(ContentType.JSON)
                .body("{\"username\": \"jane\", \"password\": \"" + "é".repeat(37) + "\", \"role\": \"editor\"}").post("/api/v1/users")
                .then().statusCode(400).body("violations.field", hasItem("password"));
        given().auth().oauth2(adminToken).contentType(ContentType.JSON)
                .body("{\"username\": \"jane\", \"password\": \"" + "é".repeat(36) + "\", \"role\": \"editor\"}").post("/api/v1/users")
                .then().statusCode(201);

        given().auth().oauth2(adminToken).contentType(ContentType.JSON)
                .body("{\"current\": \"" + Fixtures.ADMIN_PASSWORD + "\", \"password\": \"" + LONG_A + "\"}")
                .put("/api/v1/users/me/password").then().statusCode(400).contentType("application/problem+json")
                .body("violations.field", hasItem("password"));

        String cookie = session(Fixtures.ADMIN, Fixtures.ADMIN_PASSWORD);
        given().cookie(COOKIE, cookie).contentType(ContentType.URLENC).formParam("csrf-token", csrf(cookie))
                .formParam("username", "joe").formParam("password", LONG_A).formParam("role", "editor").post("/admin/users")
                .then().statusCode(400).body(containsString("72 bytes"));
    }

    @Test
    void aPasswordOver72BytesNeverMatchesAtSignIn() {
        // a hash made before the limit, from a 73-byte password: bcrypt read only the first 72
        setHash(Fixtures.ADMIN, BcryptUtil.bcryptHash(LONG_A, 5));
        signIn(Fixtures.ADMIN, LONG_B).then().statusCode(302).header("Location", endsWith("/admin/login?error=true"));
        signIn(Fixtures.ADMIN, LONG_A).then().statusCode(302).header("Location", endsWith("/admin/login?error=true"));
        given().auth().preemptive().basic(Fixtures.ADMIN, LONG_B).contentType(ContentType.JSON).body("{\"name\": \"x\"}")
                .post("/api/v1/tokens").then().statusCode(401);

        // exactly 72 bytes is a whole password
        setHash(Fixtures.ADMIN, BcryptUtil.bcryptHash("p".repeat(72), 5));
        session(Fixtures.ADMIN, "p".repeat(72));
        signIn(Fixtures.ADMIN, "p".repeat(71)).then().header("Location", endsWith("error=true"));
    }

    @Test
    void aCheaperHashIsRedoneAtTheConfiguredCostOnSignIn() {
        setHash(Fixtures.ADMIN, BcryptUtil.bcryptHash(Fixtures.ADMIN_PASSWORD, 4));
        assertTrue(hash(Fixtures.ADMIN).startsWith("$2a$04$"), hash(Fixtures.ADMIN));
        signIn(Fixtures.ADMIN, "wrong").then().header("Location", endsWith("error=true"));
        assertTrue(hash(Fixtures.ADMIN).startsWith("$2a$04$"), "a failed sign-in changes nothing");

        session(Fixtures.ADMIN, Fixtures.ADMIN_PASSWORD);
        String redone = hash(Fixtures.ADMIN);
        assertTrue(redone.startsWith("$2a$05$"), redone);
        assertTrue(BcryptUtil.matches(Fixtures.ADMIN_PASSWORD, redone));
        session(Fixtures.ADMIN, Fixtures.ADMIN_PASSWORD);
        assertEquals(redone, hash(Fixtures.ADMIN), "a hash at the configured cost stays");
    }

    @Test
    void eachSessionHasItsOwnCsrfTokenAndAnEndedSessionsTokenStopsWorking() {
        String first = session(Fixtures.ADMIN, Fixtures.ADMIN_PASSWORD);
        String second = session(Fixtures.ADMIN, Fixtures.ADMIN_PASSWORD);
        String firstToken = csrf(first);
        String secondToken = csrf(second);
        assertNotEquals(firstToken, secondToken, "the same user, two sessions, two tokens");
        assertEquals(firstToken, csrf(first), "stable within a session");

        // a token seen in one session does not work in another
        given().redirects().follow(false).cookie(COOKIE, second).contentType(ContentType.URLENC).formParam("csrf-token", firstToken)
                .formParam("name", "CMS").post("/admin/tokens").then().statusCode(403);
        given().redirects().follow(false).cookie(COOKIE, first).contentType(ContentType.URLENC).formParam("csrf-token", firstToken)
                .post("/admin/logout").then().statusCode(303);

        String third = session(Fixtures.ADMIN, Fixtures.ADMIN_PASSWORD);
        assertNotEquals(firstToken, csrf(third));
        given().redirects().follow(false).cookie(COOKIE, third).contentType(ContentType.URLENC).formParam("csrf-token", firstToken)
                .formParam("name", "CMS").post("/admin/tokens").then().statusCode(403);
        given().cookie(COOKIE, third).contentType(ContentType.URLENC).formParam("csrf-token", csrf(third))
                .formParam("name", "CMS").post("/admin/tokens").then().statusCode(200).body(containsString("Token created"));
    }

    @Test
    void theLoginPageWithABearerTokenAnswersWithoutALoop() {
        for (String authorization : new String[] { "Bearer " + adminToken, "Bearer gz_not-a-token", "Bearer " }) {
            given().redirects().follow(false).header("Authorization", authorization).get("/admin/login").then().statusCode(200)
                    .body(containsString("j_security_check"));
            // followed as a browser would: one redirect to the login page, which answers
            given().redirects().max(3).header("Authorization", authorization).get("/admin/users").then().statusCode(200)
                    .body(containsString("j_security_check"));
        }
        // signed in, the login page still sends the browser on to the dashboard
        given().redirects().follow(false).cookie(COOKIE, session(Fixtures.ADMIN, Fixtures.ADMIN_PASSWORD))
                .header("Authorization", "Bearer " + adminToken).get("/admin/login").then().statusCode(303)
                .header("Location", endsWith("/admin"));
    }
}
