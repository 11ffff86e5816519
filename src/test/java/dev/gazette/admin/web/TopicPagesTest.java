package dev.gazette.admin.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gazette.article.Article;
import dev.gazette.article.Topic;
import dev.gazette.subscriber.Frequency;
import dev.gazette.subscriber.Subscriber;
import dev.gazette.subscriber.SubscriberStatus;
import dev.gazette.testing.EditorSession;
import dev.gazette.testing.Fixtures;
import dev.gazette.testing.GazetteTest;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * The Topics pages over HTTP: what renaming, merging and deleting a topic do to its readers and articles, said on the
 * confirmation page and then done; the same refusals as problem+json from the API.
 */
@QuarkusTest
class TopicPagesTest extends GazetteTest {


    private EditorSession editor;
    private String apiToken;
    private Topic climate;
    private Topic environment;

    @BeforeEach
    void signIn() {
        apiToken = fixtures.editorToken();
        editor = EditorSession.signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD, "/admin/topics");
        climate = fixtures.topic("Climate", "climate");
        environment = fixtures.topic("Environment", "environment");
    }

    private RequestSpecification session() {
        return editor.page();
    }

    private RequestSpecification form() {
        return editor.form();
    }

    private static List<String> topicsOfReader(long id) {
        return QuarkusTransaction.requiringNew().call(() -> Subscriber.findWithTopics(id).orElseThrow().topics.stream()
                .map(t -> t.slug).sorted().toList());
    }

    private static List<String> topicsOfArticle(long id) {
        return QuarkusTransaction.requiringNew().call(() -> Article.findByIdWithTopics(id).orElseThrow().topics.stream()
                .map(t -> t.slug).sorted().toList());
    }

    @Test
    void theListShowsArticleAndReaderCounts() {
        fixtures.reader("ana@example.org", "UTC", Frequency.DAILY, "climate");
        fixtures.reader("ben@example.org", "UTC", Frequency.DAILY, "climate", "environment");
        fixtures.published("Glaciers", "Ice.", "climate");
        String html = session().get("/admin/topics").then().statusCode(200).extract().asString();
        assertTrue(html.contains("<td><a href=\"/admin/topics/" + climate.id + "\">Climate</a></td><td><code>/topics/climate</code></td>\n"
                + "      <td>1</td><td>2</td>"), html);
        assertTrue(html.contains("<td><a href=\"/admin/topics/" + environment.id + "\">Environment</a></td><td><code>/topics/environment</code></td>\n"
                + "      <td>0</td><td>1</td>"), html);
    }

    @Test
    void mergingSaysWhatMovesThenMovesReadersAndArticles() {
        long onlyClimate = fixtures.reader("ana@example.org", "UTC", Frequency.DAILY, "climate").id;
        long both = fixtures.reader("ben@example.org", "UTC", Frequency.DAILY, "climate", "environment").id;
        long onlyEnvironment = fixtures.reader("cleo@example.org", "UTC", Frequency.DAILY, "environment").id;
        long climateArticle = fixtures.published("Glaciers", "Ice.", "climate").id;
        long bothArticle = fixtures.published("Forests", "Trees.", "climate", "environment").id;

        String page = session().get("/admin/topics/" + climate.id + "/merge?into=" + environment.id).then().statusCode(200)
                .body(containsString("Merging Climate into Environment: 2 readers and 2 articles move to Environment;"
                        + " 1 reader and 1 article that already had both keep one.")).extract().asString();
        assertEquals(List.of("climate"), topicsOfReader(onlyClimate), "nothing changes before the editor confirms");

        form().formParam("into", environment.id).formParam("confirmation", confirmation(page))
                .post("/admin/topics/" + climate.id + "/merge").then().statusCode(303)
                .header("Location", endsWith("/admin/topics/" + environment.id + "?notice=merged"));

        assertEquals(List.of("environment"), topicsOfReader(onlyClimate));
        assertEquals(List.of("environment"), topicsOfReader(both), "one topic left for a reader who had both");
        assertEquals(List.of("environment"), topicsOfReader(onlyEnvironment));
        assertEquals(List.of("environment"), topicsOfArticle(climateArticle));
        assertEquals(List.of("environment"), topicsOfArticle(bothArticle));
        given().get("/topics/climate").then().statusCode(404);
        given().get("/topics/environment").then().statusCode(200).body(containsString("Glaciers"));
        session().get("/admin/topics").then().body(containsString("<td>2</td><td>3</td>"));
    }

    @Test
    void deletingSaysWhoWouldGetNothingThenKeepsArticlesAndReaders() {
        long onlyClimate = fixtures.reader("ana@example.org", "UTC", Frequency.DAILY, "climate").id;
        long both = fixtures.reader("ben@example.org", "UTC", Frequency.DAILY, "climate", "environment").id;
        fixtures.reader("dora@example.org", "UTC", Frequency.DAILY);
        long article = fixtures.published("Glaciers", "Ice.", "climate").id;

        String page = session().get("/admin/topics/" + climate.id + "/delete").then().statusCode(200)
                .body(containsString("Deleting Climate: 1 article loses the topic; the articles themselves stay as they are."))
                .body(containsString("2 readers follow Climate; 1 follows only Climate and would get nothing"))
                .body(containsString("merge Climate into another topic instead")).extract().asString();

        form().formParam("confirmation", confirmation(page)).post("/admin/topics/" + climate.id + "/delete").then().statusCode(303)
                .header("Location", endsWith("/admin/topics?notice=deleted"));

        assertEquals(List.of(), topicsOfArticle(article));
        given().get("/articles/glaciers").then().statusCode(200);
        assertEquals(List.of(), topicsOfReader(onlyClimate));
        assertEquals(SubscriberStatus.ACTIVE, QuarkusTransaction.requiringNew()
                .call(() -> Subscriber.<Subscriber> findById(onlyClimate).status), "they stay subscribed");
        assertEquals(List.of("environment"), topicsOfReader(both));
    }

    @Test
    void renamingKeepsFollowersAndShowsTheNewNameOnTheSubscribeForm() {
        long reader = fixtures.reader("ana@example.org", "UTC", Frequency.DAILY, "climate").id;
        given().get("/subscribe").then().body(containsString("> Climate"));
        given().get("/").then().body(containsString("> Climate"));

        form().formParam("name", "Climate and energy").formParam("slug", "climate").formParam("description", "")
                .post("/admin/topics/" + climate.id).then().statusCode(303);

        assertEquals(List.of("climate"), topicsOfReader(reader));
        given().get("/subscribe").then().body(containsString("> Climate and energy"));
        given().get("/").then().body(containsString("> Climate and energy"));
    }

    @Test
    void fieldErrorsAreShownNextToTheirFields() {
        form().formParam("name", "Weather").formParam("slug", "Not A Slug").post("/admin/topics").then().statusCode(400)
                .body(containsString("<p class=\"field-error\" id=\"slug-error\">must be lower-case letters and digits separated by dashes</p>"))
                .body(containsString("value=\"Weather\""));
        form().formParam("name", "Weather").formParam("slug", "climate").post("/admin/topics").then().statusCode(409)
                .body(containsString("<p class=\"field-error\" id=\"slug-error\">The topic slug climate is taken.</p>"));
        form().formParam("name", " ").post("/admin/topics").then().statusCode(400)
                .body(containsString("<p class=\"field-error\" id=\"name-error\">must not be blank</p>"));
        form().formParam("into", climate.id).post("/admin/topics/" + climate.id + "/merge").then().statusCode(400)
                .body(containsString("<p class=\"field-error\" id=\"into-error\">must be another topic than the one merged</p>"));
    }

    @Test
    void formsWithoutTheirTokenAreRefused() {
        session().contentType(ContentType.URLENC).formParam("into", environment.id)
                .post("/admin/topics/" + climate.id + "/merge").then().statusCode(403);
        session().contentType(ContentType.URLENC).post("/admin/topics/" + climate.id + "/delete").then().statusCode(403);
        assertTrue(QuarkusTransaction.requiringNew().call(() -> Topic.findBySlug("climate").isPresent()));
    }

    @Test
    void theApiMergesAndAnswersProblemJson() {
        long reader = fixtures.reader("ana@example.org", "UTC", Frequency.DAILY, "climate").id;
        given().auth().oauth2(apiToken).contentType(ContentType.JSON).body(Map.of("into", climate.id))
                .post("/api/v1/topics/" + climate.id + "/merge").then().statusCode(400)
                .contentType("application/problem+json").body("violations.field", hasItems("into"));
        given().auth().oauth2(apiToken).contentType(ContentType.JSON).body(Map.of("into", 999_999))
                .post("/api/v1/topics/" + climate.id + "/merge").then().statusCode(400)
                .contentType("application/problem+json").body("violations[0].field", equalTo("into"));
        given().auth().oauth2(apiToken).contentType(ContentType.JSON).body(Map.of("into", environment.id))
                .post("/api/v1/topics/" + climate.id + "/merge").then().statusCode(200).body("slug", equalTo("environment"));
        assertEquals(List.of("environment"), topicsOfReader(reader));
    }

    private static String confirmation(String page) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("name=\"confirmation\" value=\"([^\"]+)\"").matcher(page);
        assertTrue(m.find(), "the confirmation page carries its token");
        return m.group(1);
    }

    @Test
    void aMergeOrDeletionWithoutTheConfirmationShownOrAfterTheNumbersChangedIsRefused() {
        fixtures.reader("ana@example.org", "UTC", Frequency.DAILY, "climate");
        // a forged form straight to the action, with a valid session and CSRF token but no confirmation
        form().formParam("into", environment.id).post("/admin/topics/" + climate.id + "/merge").then().statusCode(409)
                .body(containsString("Nothing was changed: read what would happen, then confirm."))
                .body(containsString("Merging Climate into Environment: 1 reader and 0 articles move to Environment"));
        form().post("/admin/topics/" + climate.id + "/delete").then().statusCode(409)
                .body(containsString("Nothing was changed: read what would happen, then confirm."));
        assertTrue(given().get("/topics/climate").statusCode() == 200, "the topic is still there");

        // the page said 1 reader; a second one arrives before the editor confirms
        String page = session().get("/admin/topics/" + climate.id + "/delete").then().statusCode(200).extract().asString();
        fixtures.reader("ben@example.org", "UTC", Frequency.DAILY, "climate");
        form().formParam("confirmation", confirmation(page)).post("/admin/topics/" + climate.id + "/delete").then()
                .statusCode(409).body(containsString("the numbers have changed since the page was shown"))
                .body(containsString("2 readers follow Climate"));

        // a deletion's confirmation does not merge, nor delete another topic
        String fresh = confirmation(session().get("/admin/topics/" + climate.id + "/delete").then().extract().asString());
        form().formParam("into", environment.id).formParam("confirmation", fresh)
                .post("/admin/topics/" + climate.id + "/merge").then().statusCode(409);
        form().formParam("confirmation", fresh).post("/admin/topics/" + environment.id + "/delete").then().statusCode(409);
        assertTrue(given().get("/topics/climate").statusCode() == 200 && given().get("/topics/environment").statusCode() == 200);

        form().formParam("confirmation", fresh).post("/admin/topics/" + climate.id + "/delete").then().statusCode(303);
        given().get("/topics/climate").then().statusCode(404);
    }
}
