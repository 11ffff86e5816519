package dev.gazette.admin.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gazette.admin.EditorSession;
import dev.gazette.admin.User;
import dev.gazette.testing.Fixtures;
import dev.gazette.testing.GazetteTest;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * A saved session cookie is worth nothing once its session has ended: after logout, after the user changed their
 * password, after the user was removed, after its idle time, and when another instance ended it (the state is in the
 * database, not in one instance's memory).
 */
@QuarkusTest
class SessionRevocationTest extends GazetteTest {

    private static final Pattern CSRF = Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"");
    private static final String COOKIE = "gazette-session";

    @Inject
    EntityManager em;

    private String editorToken;

    @BeforeEach
    void users() {
        fixtures.admin();
        editorToken = fixtures.editorToken();
    }

    private static String signIn(String user, String password) {
        Response login = given().redirects().follow(false).contentType(ContentType.URLENC)
                .formParam("j_username", user).formParam("j_password", password).post("/admin/j_security_check");
        assertEquals(302, login.statusCode());
        return login.getCookie(COOKIE);
    }

    private static int open(String cookie, String path) {
        return given().redirects().follow(false).cookie(COOKIE, cookie).get(path).statusCode();
    }

    private static String csrf(String cookie, String path) {
        Matcher m = CSRF.matcher(given().cookie(COOKIE, cookie).get(path).then().statusCode(200).extract().asString());
        assertTrue(m.find(), "a CSRF field");
        return m.group(1);
    }

    @Test
    void aCookieSavedBeforeLogoutNoLongerOpensAnything() {
        String cookie = signIn(Fixtures.ADMIN, Fixtures.ADMIN_PASSWORD);
        assertEquals(200, open(cookie, "/admin/users"));

        Response logout = given().redirects().follow(false).cookie(COOKIE, cookie).contentType(ContentType.URLENC)
                .formParam("csrf-token", csrf(cookie, "/admin/users")).post("/admin/logout");
        assertEquals(303, logout.statusCode());
        assertTrue(logout.getHeader("Set-Cookie").contains("Max-Age=0"), logout.getHeader("Set-Cookie"));

        // the attacker replays the saved cookie
        given().redirects().follow(false).cookie(COOKIE, cookie).get("/admin/users").then().statusCode(302)
                .header("Location", endsWith("/admin/login"));
        given().cookie(COOKIE, cookie).get("/admin/login").then().statusCode(200).body(containsString("j_security_check"));
        assertEquals(0, QuarkusTransaction.requiringNew().call(() -> EditorSession.count()));
    }

    @Test
    void changingThePasswordEndsEverySessionOfThatUser() {
        String laptop = signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD);
        String stolen = signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD);
        String admin = signIn(Fixtures.ADMIN, Fixtures.ADMIN_PASSWORD);

        given().cookie(COOKIE, laptop).contentType(ContentType.URLENC).formParam("csrf-token", csrf(laptop, "/admin/account"))
                .formParam("current", "wrong password").formParam("password", "a new password 123")
                .formParam("repeat", "a new password 123").post("/admin/account/password").then().statusCode(400)
                .body(containsString("is not your current password"));
        assertEquals(200, open(stolen, "/admin/articles"), "nothing changed after a refused change");

        Response changed = given().redirects().follow(false).cookie(COOKIE, laptop).contentType(ContentType.URLENC)
                .formParam("csrf-token", csrf(laptop, "/admin/account")).formParam("current", Fixtures.EDITOR_PASSWORD)
                .formParam("password", "a new password 123").formParam("repeat", "a new password 123")
                .post("/admin/account/password");
        assertEquals(303, changed.statusCode());
        String renewed = changed.getCookie(COOKIE);
        assertNotNull(renewed, "the browser that changed it stays signed in with a new session");

        assertEquals(302, open(stolen, "/admin/articles"));
        assertEquals(302, open(laptop, "/admin/articles"));
        assertEquals(200, open(renewed, "/admin/articles"));
        assertEquals(200, open(admin, "/admin/users"), "other users' sessions go on");
        given().redirects().follow(false).contentType(ContentType.URLENC).formParam("j_username", Fixtures.EDITOR)
                .formParam("j_password", Fixtures.EDITOR_PASSWORD).post("/admin/j_security_check").then().statusCode(302)
                .header("Location", endsWith("/admin/login?error=true"));
        assertNotNull(signIn(Fixtures.EDITOR, "a new password 123"));
    }

    @Test
    void theApiChangesAPasswordTooAndEndsTheSessions() {
        String browser = signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD);
        given().auth().oauth2(editorToken).contentType(ContentType.JSON)
                .body("{\"current\": \"nope\", \"password\": \"a new password 123\"}").put("/api/v1/users/me/password")
                .then().statusCode(400).contentType("application/problem+json").body(containsString("current"));
        given().auth().oauth2(editorToken).contentType(ContentType.JSON)
                .body("{\"current\": \"" + Fixtures.EDITOR_PASSWORD + "\", \"password\": \"a new password 123\"}")
                .put("/api/v1/users/me/password").then().statusCode(204);
        assertEquals(302, open(browser, "/admin/articles"));
    }

    /**
     * API tokens are separate credentials, each named for one integration and revoked one by one on the users page: a
     * password change signs browsers out but does not silently stop every integration of that user.
     */
    @Test
    void changingThePasswordKeepsTheUsersApiTokens() {
        given().auth().oauth2(editorToken).contentType(ContentType.JSON)
                .body("{\"current\": \"" + Fixtures.EDITOR_PASSWORD + "\", \"password\": \"a new password 123\"}")
                .put("/api/v1/users/me/password").then().statusCode(204);
        given().auth().oauth2(editorToken).get("/api/v1/articles").then().statusCode(200);
    }

    @Test
    void removingAUserEndsTheirSessionsAndTokens() {
        String editor = signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD);
        String admin = signIn(Fixtures.ADMIN, Fixtures.ADMIN_PASSWORD);
        long editorId = QuarkusTransaction.requiringNew().call(() -> User.findByUsername(Fixtures.EDITOR).orElseThrow().id);
        long adminId = QuarkusTransaction.requiringNew().call(() -> User.findByUsername(Fixtures.ADMIN).orElseThrow().id);
        assertEquals(200, open(editor, "/admin/articles"));

        String token = csrf(admin, "/admin/users");
        given().cookie(COOKIE, admin).contentType(ContentType.URLENC).formParam("csrf-token", token)
                .post("/admin/users/" + adminId + "/remove").then().statusCode(409).body(containsString("cannot remove yourself"));
        given().redirects().follow(false).cookie(COOKIE, admin).contentType(ContentType.URLENC).formParam("csrf-token", token)
                .post("/admin/users/" + editorId + "/remove").then().statusCode(303);

        assertEquals(302, open(editor, "/admin/articles"));
        given().auth().oauth2(editorToken).get("/api/v1/articles").then().statusCode(401);
        assertEquals(200, open(admin, "/admin/users"));
    }

    @Test
    void removingAUserThroughTheApiEndsTheirSessions() {
        String adminToken = fixtures.adminTokenForExistingAdmin();
        String editor = signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD);
        long editorId = QuarkusTransaction.requiringNew().call(() -> User.findByUsername(Fixtures.EDITOR).orElseThrow().id);
        assertEquals(200, open(editor, "/admin/articles"));
        given().auth().oauth2(adminToken).delete("/api/v1/users/" + editorId).then().statusCode(204);
        assertEquals(302, open(editor, "/admin/articles"));
        given().auth().oauth2(editorToken).get("/api/v1/articles").then().statusCode(401);
    }

    @Test
    void theLastAdministratorCannotBeRemovedThroughTheApi() {
        String adminToken = fixtures.adminTokenForExistingAdmin();
        long adminId = QuarkusTransaction.requiringNew().call(() -> User.findByUsername(Fixtures.ADMIN).orElseThrow().id);
        given().auth().oauth2(adminToken).delete("/api/v1/users/" + adminId).then().statusCode(409)
                .contentType("application/problem+json");
        given().auth().oauth2(adminToken).delete("/api/v1/users/999999").then().statusCode(404);
        given().auth().oauth2(editorToken).delete("/api/v1/users/" + adminId).then().statusCode(403);
    }

    @Test
    void aSessionEndedByAnotherInstanceEndsHereAtOnce() {
        String cookie = signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD);
        assertEquals(200, open(cookie, "/admin/articles"));
        // what another instance's logout does: the row goes
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("delete from editor_session").executeUpdate());
        assertEquals(302, open(cookie, "/admin/articles"));
    }

    @Test
    void aSessionEndsAfterItsIdleTimeAndUseExtendsIt() {
        String cookie = signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD);
        clock.advance(Duration.ofMinutes(90));
        assertEquals(200, open(cookie, "/admin/articles"));
        clock.advance(Duration.ofMinutes(90));
        assertEquals(200, open(cookie, "/admin/articles"), "used 90 minutes ago");
        clock.advance(Duration.ofMinutes(121));
        assertEquals(302, open(cookie, "/admin/articles"));
    }

    @Test
    void theCookieHoldsNoCredentialAndOnlyItsHashIsStored() {
        String cookie = signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD);
        EditorSession stored = QuarkusTransaction.requiringNew().call(() -> EditorSession.<EditorSession>findAll().firstResult());
        assertTrue(cookie.length() >= 43, cookie);
        assertEquals(dev.gazette.common.Text.sha256Hex(cookie), stored.tokenHash, "only the cookie's SHA-256 is stored");
        assertNull(QuarkusTransaction.requiringNew().call(() -> EditorSession.<EditorSession>find("tokenHash", cookie).firstResult()));
    }
}
