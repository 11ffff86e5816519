package dev.gazette.admin.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gazette.testing.Fixtures;
import dev.gazette.testing.GazetteTest;
import dev.gazette.testing.ZeroSetupProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * A newcomer's first run: mail goes to the outbox, and the editor UI shows it, links and all.
 */
@QuarkusTest
@TestProfile(ZeroSetupProfile.class)
class OutboxPageTest extends GazetteTest {

    @BeforeEach
    void emptyOutbox() throws IOException {
        if (Files.isDirectory(ZeroSetupProfile.OUTBOX)) {
            try (var files = Files.list(ZeroSetupProfile.OUTBOX)) {
                files.forEach(f -> f.toFile().delete());
            }
        }
        fixtures.editorToken();
    }

    @Test
    void theConfirmationMailCanBeReadAndFollowedFromTheOutboxPage() {
        given().contentType(ContentType.URLENC).formParam("email", "newcomer@example.org").post("/subscribe").then().statusCode(200);
        String cookie = given().redirects().follow(false).contentType(ContentType.URLENC)
                .formParam("j_username", Fixtures.EDITOR).formParam("j_password", Fixtures.EDITOR_PASSWORD)
                .post("/admin/j_security_check").getCookie("gazette-session");
        String list = given().cookie("gazette-session", cookie).get("/admin/outbox").then().statusCode(200)
                .body(containsString("newcomer@example.org")).extract().asString();
        Matcher link = Pattern.compile("href=\"/admin/outbox/([A-Za-z0-9._-]+\\.eml)\"").matcher(list);
        assertTrue(link.find(), list);
        given().cookie("gazette-session", cookie).get("/admin/outbox/" + link.group(1)).then().statusCode(200)
                .body(containsString("sandbox=")).body(containsString("src=\"/admin/frames/outbox/" + link.group(1) + "\""))
                .body(not(containsString("allow-same-origin")));
        // the frame's document: the mail as sent, under its own sandboxing policy
        String mail = given().cookie("gazette-session", cookie).get("/admin/frames/outbox/" + link.group(1)).then().statusCode(200)
                .header("Content-Security-Policy", containsString("sandbox"))
                .header("Content-Security-Policy", containsString("style-src 'unsafe-inline'"))
                .header("X-Frame-Options", "SAMEORIGIN").extract().asString();
        assertTrue(mail.contains("/confirm/"), "the confirmation link is there to follow");
        assertTrue(mail.contains("style=\""), "the mail keeps its inline styles");
        assertTrue(mail.contains("<base target=\"_blank\">"), "its links open in a new tab, out of the sandbox");
        given().cookie("gazette-session", cookie).get("/admin/frames/outbox/..%2Fsecrets.properties").then().statusCode(404);
        given().cookie("gazette-session", cookie).get("/admin/outbox/..%2Fsecrets.properties").then().statusCode(404);
        given().cookie("gazette-session", cookie).get("/admin/outbox/missing.eml").then().statusCode(404);
    }
}
