package dev.gazette.fediverse;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.gazette.article.Article;
import dev.gazette.article.ArticleInput;
import dev.gazette.testing.GazetteTest;
import dev.gazette.testing.HtmlValidator;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * An article's address answers Mastodon with an ActivityStreams {@code Article} (what a URL pasted into its search
 * resolves to) and browsers with the page, each cached apart.
 */
@QuarkusTest
@TestProfile(FediverseProfile.class)
class ArticleObjectTest extends GazetteTest {

    static final String BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    static final String IMAGE = "https://cdn.example.org/ice.jpg";

    private Article article() {
        fixtures.topic("Climate change", "climate-change");
        fixtures.topic("Île-de-France", "ile-de-france");
        Article draft = fixtures.articles().create(new ArticleInput("Ice shelves <thinning>", "ice-shelves", "Faster than thought.",
                "The **ice** is thinning.", null, IMAGE, "An ice shelf", null, null, "Ana Ruiz",
                List.of("climate-change", "ile-de-france"), "en", null));
        clock.advance(Duration.ofMinutes(5));
        return fixtures.articles().publishNow(draft.id);
    }

    @Test
    void shouldAnswerMastodonWithTheArticleObject() {
        Article published = article();
        JsonPath o = given().accept(FediverseProfile.MASTODON_ACCEPT)
                .when().get("/articles/ice-shelves")
                .then().statusCode(200)
                .contentType("application/activity+json")
                .header("Vary", containsString("Accept"))
                .extract().jsonPath();

        assertEquals("https://www.w3.org/ns/activitystreams", o.getString("'@context'[0]"));
        assertEquals("https://news.example.org/articles/ice-shelves", o.getString("id"));
        assertEquals("Article", o.getString("type"));
        assertEquals(FediverseProfile.ACTOR, o.getString("attributedTo"));
        assertEquals("Ice shelves <thinning>", o.getString("name"));
        assertEquals("Faster than thought.", o.getString("summary"));
        assertEquals(published.bodyHtml, o.getString("content"));
        assertEquals("<p>The <strong>ice</strong> is thinning.</p>", o.getString("content").strip());
        assertEquals(published.bodyHtml, o.getString("contentMap.en"));
        assertEquals("text/html", o.getString("mediaType"));
        assertEquals("https://news.example.org/articles/ice-shelves", o.getString("url"));
        assertEquals("Image", o.getString("image.type"));
        assertEquals(IMAGE, o.getString("image.url"));
        assertEquals("An ice shelf", o.getString("image.name"));
        assertEquals("2026-03-02T09:05:00Z", o.getString("published"));
        assertNull(o.get("updated"), "not edited since publication");
        assertEquals(List.of(
                Map.of("type", "Hashtag", "href", "https://news.example.org/topics/climate-change", "name", "#ClimateChange"),
                Map.of("type", "Hashtag", "href", "https://news.example.org/topics/ile-de-france", "name", "#ÎleDeFrance")),
                o.getList("tag"));
        assertEquals(List.of("https://www.w3.org/ns/activitystreams#Public"), o.getList("to"));
        assertEquals(List.of(FediverseProfile.ACTOR + "/followers"), o.getList("cc"));
    }

    @Test
    void shouldSayWhenThePublishedArticleWasEdited() {
        Article published = article();
        clock.advance(Duration.ofHours(2));
        fixtures.articles().update(published.id, new ArticleInput(null, null, "A new summary.", null, null, null, null, null,
                null, null, null, null, null));
        given().accept("application/activity+json").when().get("/articles/ice-shelves")
                .then().statusCode(200)
                .body("summary", equalTo("A new summary."))
                .body("published", equalTo("2026-03-02T09:05:00Z"))
                .body("updated", equalTo("2026-03-02T11:05:00Z"));
    }

    @Test
    void shouldKeepHtmlAndJsonApartInTheWarmCache() {
        article();
        for (int round = 0; round < 2; round++) {
            given().accept(BROWSER_ACCEPT).when().get("/articles/ice-shelves")
                    .then().statusCode(200)
                    .contentType(startsWith("text/html"))
                    .header("Vary", containsString("Accept"))
                    .body(containsString("<h1>Ice shelves &lt;thinning&gt;</h1>"));
            given().accept("application/activity+json").when().get("/articles/ice-shelves")
                    .then().statusCode(200)
                    .contentType("application/activity+json")
                    .header("Vary", containsString("Accept"))
                    .body("type", equalTo("Article"));
            given().accept(BROWSER_ACCEPT).when().get("/articles/ice-shelves")
                    .then().statusCode(200)
                    .contentType(startsWith("text/html"))
                    .body(not(containsString("\"type\":\"Article\"")))
                    .body(containsString("<h1>Ice shelves &lt;thinning&gt;</h1>"));
        }
        // and a conditional request for one form is never answered with the other's validator
        String htmlTag = given().accept(BROWSER_ACCEPT).when().get("/articles/ice-shelves").then().extract().header("ETag");
        given().accept("application/activity+json").header("If-None-Match", htmlTag)
                .when().get("/articles/ice-shelves")
                .then().statusCode(200).contentType("application/activity+json");
    }

    @Test
    void shouldAnswer404ForDraftsAnd410ForWithdrawnArticlesInBothForms() {
        fixtures.draft("Secret plans", "Not yet.");
        Article withdrawn = fixtures.published("Retracted", "Wrong.");
        fixtures.articles().unpublish(withdrawn.id);

        given().accept("application/activity+json").when().get("/articles/secret-plans")
                .then().statusCode(404).contentType("application/problem+json")
                .body("status", equalTo(404));
        given().accept(BROWSER_ACCEPT).when().get("/articles/secret-plans")
                .then().statusCode(404).contentType(startsWith("text/html"));
        given().accept("application/activity+json").when().get("/articles/no-such-article")
                .then().statusCode(404).contentType("application/problem+json");
        given().accept("application/activity+json").when().get("/articles/Not_A_Slug!")
                .then().statusCode(404).contentType("application/problem+json");

        given().accept("application/activity+json").when().get("/articles/retracted")
                .then().statusCode(410).contentType("application/problem+json");
        given().accept(BROWSER_ACCEPT).when().get("/articles/retracted")
                .then().statusCode(410).contentType(startsWith("text/html"));
    }

    @Test
    void shouldTellTheAcceptHeadersApart() {
        assertFalse(ActivityStreams.wanted(BROWSER_ACCEPT));
        assertFalse(ActivityStreams.wanted("*/*"));
        assertFalse(ActivityStreams.wanted(null));
        assertFalse(ActivityStreams.wanted("application/ld+json; profile=\"https://schema.org\""));
        assertFalse(ActivityStreams.wanted("text/html, application/activity+json;q=0.5"));
        assertEquals(true, ActivityStreams.wanted(FediverseProfile.MASTODON_ACCEPT));
        assertEquals(true, ActivityStreams.wanted("application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\""));
        assertEquals(true, ActivityStreams.wanted("application/activity+json"));
    }

    @Test
    void shouldLinkPublicPagesToTheirActivityStreamsForm() {
        fixtures.published("Linked", "Body.");
        String home = given().accept("text/html").when().get("/")
                .then().statusCode(200)
                .body(containsString("<link rel=\"alternate\" type=\"application/activity+json\" href=\""
                        + FediverseProfile.ACTOR + "\">"))
                .extract().asString();
        String page = given().accept("text/html").when().get("/articles/linked")
                .then().statusCode(200)
                .body(containsString("<link rel=\"alternate\" type=\"application/activity+json\" "
                        + "href=\"https://news.example.org/articles/linked\">"))
                .extract().asString();
        HtmlValidator html = new HtmlValidator();
        assertEquals(List.of(), html.errors(home), "valid HTML5");
        assertEquals(List.of(), html.errors(page), "valid HTML5");
    }
}
