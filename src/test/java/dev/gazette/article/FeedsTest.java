package dev.gazette.article;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.rometools.rome.feed.synd.SyndEntry;
import com.rometools.rome.feed.synd.SyndFeed;
import com.rometools.rome.io.SyndFeedInput;

import dev.gazette.testing.GazetteTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
class FeedsTest extends GazetteTest {

    private SyndFeed fetch(String path, String contentType) throws Exception {
        Response response = given().when().get(path);
        assertEquals(200, response.statusCode());
        assertTrue(response.contentType().startsWith(contentType), response.contentType());
        return new SyndFeedInput().build(new StringReader(response.asString()));
    }

    private void publishTwo() {
        fixtures.topic("Climate", "climate");
        fixtures.published("Older <story> & more", "First **body** with <b>html</b>", "climate");
        clock.advance(Duration.ofHours(2));
        fixtures.published("Newer story", "Second body");
        fixtures.draft("Draft", "hidden", "climate");
    }

    @Test
    void shouldServeValidRss() throws Exception {
        publishTwo();
        SyndFeed rss = fetch("/feed.xml", "application/rss+xml");
        assertEquals("rss_2.0", rss.getFeedType());
        assertEquals("Gazette", rss.getTitle());
        // RSS readers take titles for HTML: the text arrives escaped as HTML and reads back as it was written
        assertEquals(List.of("Newer story", "Older &lt;story&gt; &amp; more"), rss.getEntries().stream().map(SyndEntry::getTitle).toList());
        assertEquals("Older <story> & more", org.jsoup.Jsoup.parseBodyFragment(rss.getEntries().get(1).getTitle()).text());
        SyndEntry older = rss.getEntries().get(1);
        assertEquals("http://localhost:8080/articles/older-story-more", older.getLink());
        assertEquals("http://localhost:8080/articles/older-story-more", older.getUri());
        assertEquals(Date.from(Instant.parse("2026-03-02T09:00:00Z")), older.getPublishedDate());
        assertEquals("<p>First <strong>body</strong> with <b>html</b></p>", older.getContents().get(0).getValue());
        assertEquals("Climate", older.getCategories().get(0).getName());
        assertEquals("Ana Ruiz", older.getAuthor());
    }

    @Test
    void shouldServeValidAtom() throws Exception {
        publishTwo();
        SyndFeed atom = fetch("/atom.xml", "application/atom+xml");
        assertEquals("atom_1.0", atom.getFeedType());
        assertEquals(2, atom.getEntries().size());
        SyndEntry newer = atom.getEntries().get(0);
        assertEquals("http://localhost:8080/articles/newer-story", newer.getLink());
        assertEquals(Date.from(Instant.parse("2026-03-02T11:00:00Z")), newer.getPublishedDate());
        assertTrue(atom.getLinks().stream().anyMatch(l -> "self".equals(l.getRel())
                && "http://localhost:8080/atom.xml".equals(l.getHref())));
    }

    @Test
    void shouldServeTopicFeedAndConditionalRequests() throws Exception {
        publishTwo();
        SyndFeed climate = fetch("/topics/climate/feed.xml", "application/rss+xml");
        assertEquals(List.of("Older <story> & more"), climate.getEntries().stream()
                .map(e -> org.jsoup.Jsoup.parseBodyFragment(e.getTitle()).text()).toList());
        given().when().get("/topics/unknown/feed.xml").then().statusCode(404);
        String etag = given().when().get("/feed.xml").header("ETag");
        given().header("If-None-Match", etag).when().get("/feed.xml").then().statusCode(304);
    }
}
