package dev.gazette.article.feed;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gazette.article.Article;
import dev.gazette.article.ArticlePublished;
import dev.gazette.article.ArticleStatus;
import dev.gazette.testing.GazetteTest;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class FeedImportTest extends GazetteTest {

    @Inject
    FeedImporter importer;

    private String token;

    @BeforeEach
    void editor() {
        token = fixtures.editorToken();
        fixtures.topic("Climate", "climate");
    }

    static String rss(String... items) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <rss version="2.0"><channel><title>Partner blog</title><link>https://blog.example.org/</link>
                <description>Posts</description>%s</channel></rss>""".formatted(String.join("", items));
    }

    static String item(String guid, String title, String body) {
        return """
                <item><guid isPermaLink="false">%s</guid><title>%s</title>
                <link>https://blog.example.org/%s</link><pubDate>Sun, 01 Mar 2026 08:00:00 GMT</pubDate>
                <description>Summary of %s</description>
                <content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/"><![CDATA[%s]]></content:encoded>
                <author>ana@example.org (Ana)</author></item>""".formatted(guid, title, guid, title, body);
    }

    private void serve(String body) {
        wireMock.stubFor(get(urlEqualTo("/feed.xml")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/rss+xml").withHeader("ETag", "\"v1\"").withBody(body)));
    }

    private long register(String path) {
        return ((Number) given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"url\": \"" + wireMock.baseUrl() + path + "\", \"topics\": [\"climate\"], \"pollIntervalMinutes\": 30}")
                .when().post("/api/v1/feeds")
                .then().statusCode(201).extract().path("id")).longValue();
    }

    private static List<Article> imported() {
        return QuarkusTransaction.requiringNew().call(() -> Article.<Article> list(
                "select distinct a from Article a left join fetch a.topics order by a.id"));
    }

    private static FeedSource source(long id) {
        return QuarkusTransaction.requiringNew().call(() -> FeedSource.<FeedSource> findById(id));
    }

    @Test
    void shouldImportBacklogSilentlyThenAnnounceNewItems() {
        serve(rss(item("a-1", "First post", "<p>One</p>"), item("a-2", "Second post", "<p>Two</p>")));
        long id = register("/feed.xml");

        FeedImporter.PollResult first = importer.poll(id);
        assertEquals(2, first.created());
        List<Article> articles = imported();
        assertEquals(List.of("First post", "Second post"), articles.stream().map(a -> a.title).toList());
        Article one = articles.get(0);
        assertEquals(ArticleStatus.PUBLISHED, one.status);
        assertEquals(Instant.parse("2026-03-01T08:00:00Z"), one.publishedAt);
        assertEquals("https://blog.example.org/a-1", one.canonicalUrl);
        assertEquals("Summary of First post", one.summary);
        assertEquals("<p>One</p>", one.bodyHtml);
        assertEquals(List.of("climate"), one.topics.stream().map(t -> t.slug).toList());
        assertEquals(List.of(), publishedEvents.all(), "the backlog is not announced");
        assertEquals("Partner blog", source(id).title);
        assertTrue(source(id).baselineDone);

        serve(rss(item("a-3", "Third post", "<p>Three</p>"), item("a-1", "First post", "<p>One</p>"),
                item("a-2", "Second post", "<p>Two</p>")));
        FeedImporter.PollResult second = importer.poll(id);
        assertEquals(1, second.created());
        assertEquals(2, second.unchanged());
        assertEquals(1, publishedEvents.all().size());
        assertEquals(3, source(id).itemsImported);
        ArticlePublished event = publishedEvents.all().get(0);
        assertEquals("third-post", event.slug());
        given().when().get("/articles/third-post").then().statusCode(200);
    }

    @Test
    void shouldUpdateChangedItemsAndNeverDuplicate() {
        serve(rss(item("a-1", "Original title", "<p>One</p>"), item("a-1", "Original title", "<p>One</p>")));
        long id = register("/feed.xml");
        assertEquals(1, importer.poll(id).created());

        serve(rss(item("a-1", "Corrected title", "<p>One, corrected</p>")));
        FeedImporter.PollResult result = importer.poll(id);
        assertEquals(0, result.created());
        assertEquals(1, result.updated());
        List<Article> articles = imported();
        assertEquals(1, articles.size());
        assertEquals("Corrected title", articles.get(0).title);
        assertEquals("original-title", articles.get(0).slug, "the slug of a published article is stable");
        assertEquals("<p>One, corrected</p>", articles.get(0).bodyHtml);
    }

    @Test
    void shouldKeyItemsWithoutGuidByLink() {
        String noGuid = "<item><title>No guid</title><link>https://blog.example.org/x</link><description>d</description></item>";
        serve(rss(noGuid));
        long id = register("/feed.xml");
        importer.poll(id);
        importer.poll(id);
        assertEquals(1, imported().size());
    }

    @Test
    void shouldSanitiseImportedHtml() {
        serve(rss(item("x", "Hostile", "<p onclick=\"x()\">Hi</p><script>alert(1)</script><a href=\"javascript:x\">l</a>")));
        importer.poll(register("/feed.xml"));
        assertEquals("<p>Hi</p><a rel=\"noopener\">l</a>", imported().get(0).bodyHtml);
    }

    @Test
    void shouldImportAtomAsDrafts() {
        wireMock.stubFor(get(urlEqualTo("/atom.xml")).willReturn(aResponse().withStatus(200).withBody("""
                <?xml version="1.0" encoding="utf-8"?>
                <feed xmlns="http://www.w3.org/2005/Atom"><title>Atom site</title><id>urn:x</id>
                <updated>2026-03-01T08:00:00Z</updated>
                <entry><title>Atom entry</title><id>urn:entry:1</id><link href="https://atom.example.org/1"/>
                <updated>2026-03-01T08:00:00Z</updated><summary>Short</summary>
                <content type="html">&lt;p&gt;Body&lt;/p&gt;</content></entry></feed>""")));
        long id = ((Number) given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"url\": \"" + wireMock.baseUrl() + "/atom.xml\", \"importAs\": \"DRAFT\"}")
                .when().post("/api/v1/feeds").then().statusCode(201).extract().path("id")).longValue();
        given().auth().oauth2(token).when().post("/api/v1/feeds/" + id + "/poll")
                .then().statusCode(200).body("created", org.hamcrest.Matchers.equalTo(1));
        Article a = imported().get(0);
        assertEquals(ArticleStatus.DRAFT, a.status);
        assertEquals("<p>Body</p>", a.bodyHtml);
    }

    @Test
    void shouldSendValidatorsAndAcceptNotModified() {
        serve(rss(item("a-1", "First", "<p>1</p>")));
        long id = register("/feed.xml");
        importer.poll(id);
        wireMock.stubFor(get(urlEqualTo("/feed.xml")).withHeader("If-None-Match", equalTo("\"v1\""))
                .willReturn(aResponse().withStatus(304)));
        FeedImporter.PollResult result = importer.poll(id);
        assertEquals("not-modified", result.outcome());
        wireMock.verify(getRequestedFor(urlEqualTo("/feed.xml")).withHeader("If-None-Match", equalTo("\"v1\"")));
        assertNull(source(id).lastError);
    }

    @Test
    void shouldRecordMalformedFeedAndBackOff() {
        wireMock.stubFor(get(urlEqualTo("/feed.xml")).willReturn(aResponse().withStatus(200).withBody("<rss><channel><item>")));
        long id = register("/feed.xml");
        FeedImporter.PollResult result = importer.poll(id);
        assertEquals("error", result.outcome());
        FeedSource source = source(id);
        assertTrue(source.lastError.startsWith("Not a valid RSS or Atom feed"), source.lastError);
        assertEquals(1, source.consecutiveErrors);
        assertEquals(clock.instant().plus(Duration.ofMinutes(30)), source.nextPollAt);
        importer.poll(id);
        assertEquals(clock.instant().plus(Duration.ofMinutes(60)), source(id).nextPollAt);

        given().auth().oauth2(token).when().get("/api/v1/feeds/" + id).then().statusCode(200)
                .body("lastError", org.hamcrest.Matchers.startsWith("Not a valid RSS or Atom feed"))
                .body("consecutiveErrors", org.hamcrest.Matchers.equalTo(2));
    }

    @Test
    void shouldRefuseOversizedFeed() {
        serve(rss(item("big", "Big", "x".repeat(250_000))));
        long id = register("/feed.xml");
        FeedImporter.PollResult result = importer.poll(id);
        assertEquals("The feed is larger than 195 KB", result.error());
        assertEquals(0, imported().size());
    }

    @Test
    void shouldRecordHttpErrorsAndUnreachableHosts() {
        wireMock.stubFor(get(urlEqualTo("/gone.xml")).willReturn(aResponse().withStatus(410)));
        long gone = register("/gone.xml");
        assertEquals("The server answered HTTP 410 for " + wireMock.baseUrl() + "/gone.xml", importer.poll(gone).error());

        long unreachable = ((Number) given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"url\": \"http://127.0.0.1:1/feed.xml\"}")
                .when().post("/api/v1/feeds").then().statusCode(201).extract().path("id")).longValue();
        assertTrue(importer.poll(unreachable).error().startsWith("Cannot reach 127.0.0.1"));
    }

    @Test
    void shouldFollowBoundedRedirects() {
        wireMock.stubFor(get(urlEqualTo("/old.xml")).willReturn(aResponse().withStatus(301).withHeader("Location", "/feed.xml")));
        serve(rss(item("r", "Redirected", "<p>r</p>")));
        assertEquals(1, importer.poll(register("/old.xml")).created());

        wireMock.stubFor(get(urlEqualTo("/loop.xml")).willReturn(aResponse().withStatus(302).withHeader("Location", "/loop.xml")));
        assertEquals("More than 5 redirects from " + wireMock.baseUrl() + "/loop.xml", importer.poll(register("/loop.xml")).error());
    }

    @Test
    void shouldPollOnlyDueSourcesFromTheJob() {
        serve(rss(item("a", "Due", "<p>a</p>")));
        long id = register("/feed.xml");
        assertEquals(1, importer.pollDue());
        assertEquals(0, importer.pollDue(), "next poll is an interval away");
        clock.advance(Duration.ofMinutes(31));
        assertEquals(1, importer.pollDue());
        assertEquals(1, imported().size());
        assertEquals(clock.instant().plus(Duration.ofMinutes(30)), source(id).nextPollAt);
    }

    @Test
    void shouldValidateRegistration() {
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"url\": \"ftp://example.org/feed\"}")
                .when().post("/api/v1/feeds").then().statusCode(400)
                .body("violations[0].field", org.hamcrest.Matchers.equalTo("url"));
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"url\": \"https://example.org/feed\", \"topics\": [\"none\"]}")
                .when().post("/api/v1/feeds").then().statusCode(400)
                .body("violations[0].field", org.hamcrest.Matchers.equalTo("topics"));
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"url\": \"https://example.org/feed\", \"pollIntervalMinutes\": 1}")
                .when().post("/api/v1/feeds").then().statusCode(400)
                .body("violations[0].field", org.hamcrest.Matchers.equalTo("pollIntervalMinutes"));
        register("/feed.xml");
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"url\": \"" + wireMock.baseUrl() + "/feed.xml\"}")
                .when().post("/api/v1/feeds").then().statusCode(409);
    }
}
