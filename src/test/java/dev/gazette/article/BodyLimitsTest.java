package dev.gazette.article;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.jsoup.nodes.Entities;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gazette.article.feed.FeedImporter;
import dev.gazette.testing.Fixtures;
import dev.gazette.testing.GazetteTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * Bodies that made rendering and sanitising slow or overflow the stack are refused quickly with a 400 naming the body,
 * through the API, the editor and feed imports; a body just within the limits is taken.
 */
@QuarkusTest
class BodyLimitsTest extends GazetteTest {

    /** Far more than the server needs for a refusal or for a body at the limits, far less than the old cost. */
    private static final long FAST_MILLIS = 3000;
    private static final Pattern CSRF = Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"");

    private String token;

    @BeforeEach
    void editor() {
        token = fixtures.editorToken();
    }

    private ValidatableResponse post(String format, String body) {
        long start = System.nanoTime();
        ValidatableResponse response = given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("title", "Deep", "bodyFormat", format, "body", body)).post("/api/v1/articles").then();
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < FAST_MILLIS, "answered in " + millis + " ms");
        return response;
    }

    private void refused(String format, String body) {
        post(format, body).statusCode(400).contentType("application/problem+json")
                .body("violations.field", hasItem("body"))
                .body(not(containsString("StackOverflow")));
    }

    private static String nested(String open, String close, int depth) {
        return open.repeat(depth) + "x" + close.repeat(depth);
    }

    @Test
    void deeplyNestedHtmlIsRefused() {
        refused("HTML", nested("<div>", "</div>", 20_000));
        refused("HTML", nested("<div>", "</div>", 60_000));
        refused("HTML", "<div>".repeat(199_000));
        refused("HTML", nested("<blockquote><b>", "</b></blockquote>", 200));
        assertEquals(0, Article.count());
    }

    @Test
    void markdownThatOverflowedOrCrawledIsRefused() {
        refused("MARKDOWN", ">".repeat(999_000));
        refused("MARKDOWN", ">".repeat(100_000) + " quote");
        refused("MARKDOWN", "*a".repeat(499_000));
        refused("MARKDOWN", "- ".repeat(300) + "item");
        refused("MARKDOWN", "*".repeat(600) + "a" + "*".repeat(600));
        assertEquals(0, Article.count());
    }

    @Test
    void bodiesWithinTheLimitsAreTaken() {
        post("MARKDOWN", "*a".repeat(99_000)).statusCode(201);
        post("HTML", nested("<div>", "</div>", 250)).statusCode(201);
        post("MARKDOWN", "> ".repeat(250) + "a quote").statusCode(201);
        String prose = "Temperatures broke records in forty cities. ".repeat(4_545);
        assertTrue(prose.length() < 200_000 && prose.length() > 199_000);
        post("MARKDOWN", prose).statusCode(201);
        post("HTML", "<p>" + prose.substring(0, 190_000) + "</p><ul><li>one<li>two</ul>" + "<p>more".repeat(1000))
                .statusCode(201);
        post("MARKDOWN", prose + "x".repeat(1_000)).statusCode(400);
    }

    @Test
    void theEditorShowsTheLimitOnTheFormAndTakesLongBodies() {
        String cookie = given().redirects().follow(false).contentType(ContentType.URLENC)
                .formParam("j_username", Fixtures.EDITOR).formParam("j_password", Fixtures.EDITOR_PASSWORD)
                .post("/admin/j_security_check").getCookie("gazette-session");
        Matcher csrf = CSRF.matcher(given().cookie("gazette-session", cookie).get("/admin/articles/new").then()
                .statusCode(200).extract().asString());
        assertTrue(csrf.find());
        given().redirects().follow(false).cookie("gazette-session", cookie).contentType(ContentType.URLENC)
                .formParam("title", "Deep").formParam("body", ">".repeat(250_000)).formParam("action", "save")
                .formParam("csrf-token", csrf.group(1)).post("/admin/articles").then().statusCode(400)
                .body(containsString("id=\"body-error\""), containsString("at most 200000 characters"));
        given().cookie("gazette-session", cookie).header("X-CSRF-Token", csrf.group(1)).contentType(ContentType.URLENC)
                .formParam("body", "> ".repeat(1000)).post("/admin/articles/preview").then().statusCode(200)
                .body(containsString("more than 256 deep"));
        assertEquals(0, Article.count());
        // a long body, with characters that take several bytes, fits in one form field
        given().redirects().follow(false).cookie("gazette-session", cookie).contentType(ContentType.URLENC)
                .formParam("title", "Long").formParam("body", "Ünïcödé prose. ".repeat(13_000)).formParam("action", "save")
                .formParam("csrf-token", csrf.group(1)).post("/admin/articles").then().statusCode(303);
        assertEquals(1, Article.count());
    }

    @Inject
    FeedImporter importer;

    @Test
    void aFeedItemOverTheLimitsIsSkippedAndTheRestImports() {
        String deep = Entities.escape(nested("<div>", "</div>", 1_000));
        wireMock.stubFor(get(urlEqualTo("/deep.rss")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/rss+xml").withBody("""
                        <?xml version="1.0" encoding="UTF-8"?>
                        <rss version="2.0"><channel><title>Partner</title><link>https://blog.example.org/</link>
                        <description>d</description>
                        <item><title>Deep body</title><link>https://blog.example.org/1</link><description>%s</description></item>
                        <item><title>%s</title><link>https://blog.example.org/2</link><description>ok</description></item>
                        <item><title>Fine</title><link>https://blog.example.org/3</link><description>Fine.</description></item>
                        </channel></rss>""".formatted(deep, deep))));
        long id = ((Number) given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"url\": \"" + wireMock.baseUrl() + "/deep.rss\", \"topics\": [], \"pollIntervalMinutes\": 30}")
                .post("/api/v1/feeds").then().statusCode(201).extract().path("id")).longValue();
        long start = System.nanoTime();
        FeedImporter.PollResult result = importer.poll(id);
        assertTrue((System.nanoTime() - start) / 1_000_000 < FAST_MILLIS);
        assertEquals(1, result.created(), result.toString());
        assertEquals(2, result.skipped(), result.toString());
        assertTrue(result.error().contains("more than 256 deep"), result.error());
        assertEquals("Fine", Article.<Article> findAll().firstResult().title);
    }
}
