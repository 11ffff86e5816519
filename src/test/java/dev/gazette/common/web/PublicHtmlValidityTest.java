package dev.gazette.common.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;

import jakarta.inject.Inject;
import jakarta.mail.Multipart;

import org.jsoup.Jsoup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.gazette.article.ArticleInput;
import dev.gazette.article.ArticleService;
import dev.gazette.subscriber.SubscribeFlowTest;
import dev.gazette.testing.GazetteTest;
import dev.gazette.testing.HtmlValidator;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Every public page, fetched through the HTTP stack as a reader's browser gets it, is valid HTML5 by the W3C Nu
 * checker: front page, article, topic, subscribe (with and without errors), confirmation, preferences (with and
 * without errors) and a digest's web copy.
 */
@QuarkusTest
class PublicHtmlValidityTest extends GazetteTest {

    /** Database timestamps carry microseconds, which a {@code <time datetime>} may not. */
    private static final Instant WITH_MICROSECONDS = Instant.parse("2026-03-02T09:00:00.123456Z");
    private static final String BODY = """
            Records **broke** in 40 cities, says the [agency](https://example.org/agency).

            > The heat is not the story; the nights are.

            Measured with `thermo --max`:

            ```
            city     max  night
            Seville  46   31
            ```

            | City | Day | Night |
            |------|-----|-------|
            | Seville | 46 °C | 31 °C |
            | Lyon | 39 °C | 24 °C |
            """;

    private static HtmlValidator validator;

    @Inject
    ArticleService articles;

    @BeforeAll
    static void startValidator() {
        validator = new HtmlValidator();
    }

    @AfterAll
    static void dropValidator() {
        validator = null;
    }

    @Test
    void shouldServeValidHtmlOnEveryPublicPage() throws Exception {
        clock.set(WITH_MICROSECONDS);
        fixtures.topic("Climate", "climate");
        fixtures.topic("Cities", "cities");
        long lead = articles.create(new ArticleInput("Heatwave: what the records mean", null,
                "Three scientists explain the numbers.", BODY, null, "https://images.example.org/heat.jpg",
                "A thermometer in the sun", "Noon in Seville", "Photo: Ana Ruiz, CC BY 4.0", "Ana Ruiz",
                List.of("climate", "cities"), "en", null)).id;
        articles.publishNow(lead);
        fixtures.published("Shade in the city", "Trees & shade.", "cities", "climate");
        fixtures.digestIssue("World this morning", "world-morning");

        List<String> failures = new ArrayList<>();
        check(failures, "/", 200);
        check(failures, "/articles/heatwave-what-the-records-mean", 200);
        check(failures, "/topics/climate", 200);
        check(failures, "/digests/world-morning/1", 200);
        check(failures, "/subscribe", 200);
        check(failures, "POST /subscribe (invalid address)", given().contentType(ContentType.URLENC)
                .formParam("email", "not an address").formParam("topics", "nowhere").when().post("/subscribe"), 400);

        Response subscribed = given().contentType(ContentType.URLENC).formParam("email", "reader@example.org")
                .formParam("topics", "climate").when().post("/subscribe");
        check(failures, "POST /subscribe", subscribed, 200);
        assertTrue(greenMail.waitForIncomingEmail(5000, 1), "no confirmation mail");
        String text = ((Multipart) greenMail.getReceivedMessages()[0].getContent()).getBodyPart(0).getContent().toString();
        Matcher link = SubscribeFlowTest.CONFIRM_LINK.matcher(text);
        assertTrue(link.find(), text);
        String confirm = link.group(1);
        check(failures, confirm, 200);

        Response confirmed = given().when().post(confirm);
        check(failures, "POST " + confirm, confirmed, 200);
        String preferences = Jsoup.parse(confirmed.asString()).selectFirst("main a").attr("href")
                .replace("http://localhost:8080", "");
        check(failures, preferences, 200);
        check(failures, "POST " + preferences + " (invalid time zone)", given().contentType(ContentType.URLENC)
                .formParam("scope", "some").formParam("topics", "climate").formParam("frequency", "weekly")
                .formParam("timezone", "Mars/Olympus").formParam("pauseWeeks", "2").formParam("action", "save")
                .when().post(preferences), 400);

        assertEquals(List.of(), failures, "The Nu HTML checker found errors:\n" + String.join("\n", failures));
    }

    @Test
    void shouldReportWhatTheCheckerFinds() {
        // The validator itself: a document with a sub-second datetime of six digits and a stray end tag is invalid.
        List<String> errors = validator.errors("""
                <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>t</title></head>
                <body><p><time datetime="2026-03-02T09:00:00.123456Z">2 March</time></p></div></body></html>""");
        assertEquals(2, errors.size(), String.join("\n", errors));
        assertTrue(errors.get(0).contains("datetime"), errors.get(0));
    }

    private void check(List<String> failures, String path, int status) {
        check(failures, path, given().when().get(path), status);
    }

    private void check(List<String> failures, String what, Response response, int status) {
        assertEquals(status, response.statusCode(), what);
        for (String error : validator.errors(response.asString())) {
            failures.add(what + " " + error);
        }
    }
}
