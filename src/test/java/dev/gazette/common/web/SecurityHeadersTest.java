package dev.gazette.common.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.gazette.article.Article;
import dev.gazette.testing.Fixtures;
import dev.gazette.testing.GazetteTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Every page carries a Content-Security-Policy that lets nothing inline run, may not be framed elsewhere, and the
 * pages themselves hold nothing inline the policy would refuse.
 */
@QuarkusTest
class SecurityHeadersTest extends GazetteTest {

    /** A script element that runs (JSON-LD data blocks do not), a style element, a style or event-handler attribute. */
    private static final Pattern INLINE = Pattern.compile(
            "<script(?![^>]*\\bsrc=)(?![^>]*application/ld\\+json)[^>]*>|<style\\b|\\sstyle=\"|\\son[a-z]+=\"", Pattern.CASE_INSENSITIVE);

    @Test
    void publicAndEditorPagesForbidInlineCodeAndFraming() {
        fixtures.topic("World", "world");
        Article article = fixtures.published("Storm reaches the coast", "Winds **gusting**.", "world");
        String cookie = editorSession();
        List<String> publicPages = List.of("/", "/subscribe", "/articles/" + article.slug, "/topics/world", "/no-such-page");
        for (String path : publicPages) {
            check(given().accept(ContentType.HTML).get(path), path);
        }
        for (String path : List.of("/admin/login", "/admin", "/admin/articles", "/admin/newsletters", "/admin/subscribers")) {
            check(given().cookie("gazette-session", cookie).accept(ContentType.HTML).get(path), path);
        }
        given().get("/api/v1/articles").then().statusCode(401)
                .header("X-Content-Type-Options", "nosniff").header("X-Frame-Options", "DENY");
        given().get("/assets/site.css").then().statusCode(200).header("X-Content-Type-Options", "nosniff");
        given().get("/assets/site.js").then().statusCode(200).body(containsString("timezone"));
    }

    private static void check(Response response, String path) {
        String csp = response.header("Content-Security-Policy");
        assertEquals(SecurityHeaders.PAGE_POLICY, csp, path);
        assertTrue(csp.contains("script-src 'self';") && !csp.contains("unsafe"), path);
        assertEquals("DENY", response.header("X-Frame-Options"), path);
        assertEquals("nosniff", response.header("X-Content-Type-Options"), path);
        assertEquals("strict-origin-when-cross-origin", response.header("Referrer-Policy"), path);
        Matcher inline = INLINE.matcher(response.asString());
        assertFalse(inline.find(), () -> path + " has inline code the policy refuses: " + inline.group());
    }

    @Test
    void theInlineCheckFindsWhatThePolicyWouldRefuse() {
        for (String html : List.of("<script>alert(1)</script>", "<p style=\"color:red\">", "<img src=x onerror=\"alert(2)\">",
                "<style>p{}</style>")) {
            assertTrue(INLINE.matcher(html).find(), html);
        }
        for (String html : List.of("<script src=\"/assets/site.js\" defer></script>", "<script type=\"application/ld+json\">{}</script>")) {
            assertFalse(INLINE.matcher(html).find(), html);
        }
    }

    @Test
    void theSubscribeFormFillsTheTimeZoneFromAFileAndWorksWithout() {
        given().get("/subscribe").then().statusCode(200).body(containsString("<script src=\"/assets/site.js\" defer></script>"))
                .body(containsString("name=\"timezone\" value=\"\""));
        given().contentType(ContentType.URLENC).formParam("email", "reader@example.org").formParam("timezone", "")
                .post("/subscribe").then().statusCode(200);
    }

    @Test
    void operatorPagesKeepTheirInlineScriptsButNotTheRest() {
        given().get("/q/swagger-ui/").then().statusCode(200).header("Content-Security-Policy", equalTo(null))
                .header("X-Content-Type-Options", "nosniff");
        given().get("/q/health/live").then().header("Content-Security-Policy", equalTo(null))
                .header("Referrer-Policy", not(equalTo(null)));
    }

    private String editorSession() {
        fixtures.editorToken();
        return given().redirects().follow(false).contentType(ContentType.URLENC)
                .formParam("j_username", Fixtures.EDITOR).formParam("j_password", Fixtures.EDITOR_PASSWORD)
                .post("/admin/j_security_check").getCookie("gazette-session");
    }
}
