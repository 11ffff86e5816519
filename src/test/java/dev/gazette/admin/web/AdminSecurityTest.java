package dev.gazette.admin.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gazette.article.Article;
import dev.gazette.testing.Fixtures;
import dev.gazette.testing.GazetteTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * The editor UI's protections over HTTP: sign-in, the session cookie, CSRF tokens, and the API left as it was.
 */
@QuarkusTest
class AdminSecurityTest extends GazetteTest {

    private static final Pattern CSRF = Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"");

    @BeforeEach
    void editor() {
        fixtures.editorToken();
    }

    private String session() {
        Response login = given().redirects().follow(false).contentType(ContentType.URLENC)
                .formParam("j_username", Fixtures.EDITOR).formParam("j_password", Fixtures.EDITOR_PASSWORD)
                .post("/admin/j_security_check");
        assertEquals(302, login.statusCode());
        String cookie = login.getCookie("gazette-session");
        assertNotNull(cookie, "a session cookie");
        return cookie;
    }

    @Test
    void pagesNeedASignInAndTheApiStillAnswers401() {
        given().redirects().follow(false).get("/admin/articles").then().statusCode(302)
                .header("Location", endsWith("/admin/login"));
        given().get("/admin/login").then().statusCode(200).body(containsString("j_security_check"));
        given().get("/admin/assets/admin.css").then().statusCode(200);
        given().redirects().follow(false).get("/api/v1/articles").then().statusCode(401)
                .header("WWW-Authenticate", containsString("Bearer"));
        given().redirects().follow(false).cookie("gazette-session", session()).get("/api/v1/articles").then()
                .statusCode(401);
    }

    @Test
    void aWrongPasswordLeadsBackToTheLoginPageWithAMessage() {
        Response login = given().redirects().follow(false).contentType(ContentType.URLENC)
                .formParam("j_username", Fixtures.EDITOR).formParam("j_password", "wrong")
                .post("/admin/j_security_check");
        assertEquals(302, login.statusCode(), login.getHeaders() + "\n" + login.asString());
        String location = login.header("Location");
        org.junit.jupiter.api.Assertions.assertTrue(location.endsWith("/admin/login?error=true"), location);
        given().get(location).then().statusCode(200).body(containsString("do not match"));
    }

    @Test
    void theSessionCookieIsHttpOnlyAndStrict() {
        Response login = given().redirects().follow(false).contentType(ContentType.URLENC)
                .formParam("j_username", Fixtures.EDITOR).formParam("j_password", Fixtures.EDITOR_PASSWORD)
                .post("/admin/j_security_check");
        String header = login.getHeaders().getValues("Set-Cookie").stream().filter(c -> c.startsWith("gazette-session="))
                .findFirst().orElseThrow();
        org.junit.jupiter.api.Assertions.assertTrue(header.toLowerCase().contains("httponly"), header);
        org.junit.jupiter.api.Assertions.assertTrue(header.toLowerCase().contains("samesite=strict"), header);
    }

    @Test
    void aFormWithoutItsCsrfTokenIsRefused() {
        String cookie = session();
        given().redirects().follow(false).cookie("gazette-session", cookie).contentType(ContentType.URLENC)
                .formParam("title", "Forged").formParam("body", "x").post("/admin/articles").then().statusCode(403)
                .body(containsString("expired"));
        given().redirects().follow(false).cookie("gazette-session", cookie).contentType(ContentType.URLENC)
                .formParam("title", "Forged").formParam("body", "x").formParam("csrf-token", "not-the-token")
                .post("/admin/articles").then().statusCode(403);
        assertEquals(0, Article.count());

        String page = given().cookie("gazette-session", cookie).get("/admin/articles/new").then().statusCode(200)
                .extract().asString();
        Matcher token = CSRF.matcher(page);
        org.junit.jupiter.api.Assertions.assertTrue(token.find());
        given().redirects().follow(false).cookie("gazette-session", cookie).contentType(ContentType.URLENC)
                .formParam("title", "Real").formParam("body", "x").formParam("action", "save")
                .formParam("csrf-token", token.group(1)).post("/admin/articles").then().statusCode(303)
                .header("Location", containsString("notice=saved"));
        assertEquals(1, Article.count());
        // htmx sends the token in a header
        given().cookie("gazette-session", cookie).header("X-CSRF-Token", token.group(1)).contentType(ContentType.URLENC)
                .formParam("body", "**bold**").post("/admin/articles/preview").then().statusCode(200)
                .body(equalTo("<p><strong>bold</strong></p>\n"));
        given().cookie("gazette-session", cookie).contentType(ContentType.URLENC)
                .formParam("body", "**bold**").post("/admin/articles/preview").then().statusCode(403)
                .body(not(containsString("strong")));
    }

    @Test
    void anAnonymousUploadIsSentToTheLoginPageAndImportsNothing() {
        given().redirects().follow(false).multiPart("file", "readers.csv", "email\nmallory@example.org\n".repeat(1).getBytes(),
                "text/csv").post("/admin/subscribers/imports").then().statusCode(302)
                .header("Location", endsWith("/admin/login"));
        assertEquals(0, dev.gazette.subscriber.Subscriber.count());
    }

    @Test
    void publicFormsNeedNoCsrfToken() {
        given().contentType(ContentType.URLENC).formParam("email", "reader@example.org").post("/subscribe").then()
                .statusCode(200);
    }

    private String session(String user, String password) {
        return given().redirects().follow(false).contentType(ContentType.URLENC)
                .formParam("j_username", user).formParam("j_password", password)
                .post("/admin/j_security_check").getCookie("gazette-session");
    }

    private static String token(String page) {
        Matcher m = CSRF.matcher(page);
        org.junit.jupiter.api.Assertions.assertTrue(m.find(), "a CSRF field");
        return m.group(1);
    }

    @Test
    void administratorsIssueAndRevokeApiTokens() {
        fixtures.admin();
        String cookie = session(Fixtures.ADMIN, Fixtures.ADMIN_PASSWORD);
        String csrf = token(given().cookie("gazette-session", cookie).get("/admin/users").then().statusCode(200).extract().asString());
        String page = given().cookie("gazette-session", cookie).contentType(ContentType.URLENC).formParam("csrf-token", csrf)
                .formParam("name", "deploy script").formParam("expiresInDays", "30").post("/admin/tokens").then().statusCode(200)
                .header("Cache-Control", "no-store").extract().asString();
        Matcher secret = Pattern.compile("<code id=\"new-token\">([^<]+)</code>").matcher(page);
        org.junit.jupiter.api.Assertions.assertTrue(secret.find(), page);
        given().auth().oauth2(secret.group(1)).get("/api/v1/articles").then().statusCode(200);
        org.hamcrest.MatcherAssert.assertThat(given().cookie("gazette-session", cookie).get("/admin/users").then()
                .extract().asString(), not(containsString(secret.group(1))));

        long id = dev.gazette.admin.ApiToken.<dev.gazette.admin.ApiToken>find("name", "deploy script").singleResult().id;
        given().redirects().follow(false).cookie("gazette-session", cookie).contentType(ContentType.URLENC)
                .formParam("csrf-token", csrf).post("/admin/tokens/" + id + "/revoke").then().statusCode(303);
        given().auth().oauth2(secret.group(1)).get("/api/v1/articles").then().statusCode(401);

        // an editor can do none of it
        String editor = session(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD);
        String editorCsrf = token(given().cookie("gazette-session", editor).get("/admin/articles/new").then().extract().asString());
        given().cookie("gazette-session", editor).contentType(ContentType.URLENC).formParam("csrf-token", editorCsrf)
                .formParam("name", "mine").post("/admin/tokens").then().statusCode(403);
    }

    @Test
    void theDashboardShowsTheNextIssuesSendWindow() {
        fixtures.reader("tokyo@example.org", "Asia/Tokyo", dev.gazette.subscriber.Frequency.DAILY);
        fixtures.reader("paris@example.org", "Europe/Paris", dev.gazette.subscriber.Frequency.DAILY);
        fixtures.reader("ny@example.org", "America/New_York", dev.gazette.subscriber.Frequency.DAILY);
        fixtures.digestIssue("World this morning", "world-morning"); // a daily newsletter at 07:00
        // 2026-03-02 09:00Z: 07:00 has passed in Tokyo and Paris, not yet in New York (12:00Z)
        String cookie = session();
        given().cookie("gazette-session", cookie).get("/admin").then().statusCode(200)
                .body(containsString("<td>World this morning</td><td>2026-03-02</td>"))
                .body(containsString("<time datetime=\"2026-03-02T12:00:00Z\" title=\"2026-03-02 12:00:00 UTC\">Mon 2 Mar, 12:00 UTC</time>"
                        + " – <time datetime=\"2026-03-02T12:00:00Z\""))
                .body(containsString("07:00 local in 1 reader time zone)"));
    }
}
