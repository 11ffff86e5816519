package dev.gazette.article;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.gazette.testing.GazetteTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
class PublicPagesTest extends GazetteTest {

    @Inject
    ArticleService articles;

    @Inject
    ObjectMapper json;

    private long heatwave() {
        fixtures.topic("Climate", "climate");
        fixtures.topic("Cities", "cities");
        Article a = articles.create(new ArticleInput("Heatwave: what the records mean", null,
                "Three scientists explain the numbers.", "Records **broke** in 40 cities.", null,
                "https://images.example.org/heat.jpg", "A thermometer in the sun", "Noon in Seville",
                "Photo: Ana Ruiz, CC BY 4.0", "Ana Ruiz", List.of("climate", "cities"), "en", null));
        return articles.publishNow(a.id).id;
    }

    private Document page(String path) {
        Response response = given().when().get(path);
        assertEquals(200, response.statusCode(), path);
        return Jsoup.parse(response.asString(), "http://localhost:8080" + path);
    }

    @Test
    void shouldCarryEverythingALinkPreviewNeeds() throws Exception {
        heatwave();
        Document doc = page("/articles/heatwave-what-the-records-mean");
        String url = "http://localhost:8080/articles/heatwave-what-the-records-mean";

        assertEquals("Heatwave: what the records mean — Gazette", doc.title());
        assertEquals("Three scientists explain the numbers.", doc.selectFirst("meta[name=description]").attr("content"));
        assertEquals(url, doc.selectFirst("link[rel=canonical]").attr("href"));
        assertEquals("article", meta(doc, "og:type"));
        assertEquals("Heatwave: what the records mean", meta(doc, "og:title"));
        assertEquals("Three scientists explain the numbers.", meta(doc, "og:description"));
        assertEquals("https://images.example.org/heat.jpg", meta(doc, "og:image"));
        assertEquals(url, meta(doc, "og:url"));
        assertEquals("2026-03-02T09:00:00Z", meta(doc, "article:published_time"));
        assertEquals("summary_large_image", doc.selectFirst("meta[name=twitter:card]").attr("content"));
        assertEquals("@gazette", doc.selectFirst("meta[name=twitter:site]").attr("content"));
        assertEquals("en", doc.selectFirst("html").attr("lang"));

        @SuppressWarnings("unchecked")
        Map<String, Object> ld = json.readValue(doc.selectFirst("script[type=application/ld+json]").data(), Map.class);
        assertEquals("NewsArticle", ld.get("@type"));
        assertEquals("Heatwave: what the records mean", ld.get("headline"));
        assertEquals("2026-03-02T09:00:00Z", ld.get("datePublished"));
        assertEquals(List.of("https://images.example.org/heat.jpg"), ld.get("image"));

        assertEquals("A thermometer in the sun", doc.selectFirst("figure img").attr("alt"));
        assertEquals("Photo: Ana Ruiz, CC BY 4.0", doc.selectFirst("figcaption .credit").text());
        assertEquals("Records broke in 40 cities.", doc.selectFirst(".article-body").text());
        assertEquals(List.of("cities", "climate"), doc.select("form[action$=/subscribe] input[name=topics][checked]")
                .eachAttr("value"));
        assertEquals("https://social.example.org/@gazette", doc.selectFirst("footer a[rel~=me]").attr("href"));
    }

    @Test
    void shouldLinkRelatedArticlesByTopic() {
        heatwave();
        fixtures.published("Shade in the city", "Trees.", "cities", "climate");
        fixtures.published("Flood maps", "Water.", "climate");
        fixtures.published("Unrelated", "Other.");
        Document doc = page("/articles/heatwave-what-the-records-mean");
        assertEquals(List.of("Shade in the city", "Flood maps"), doc.select("#related-title ~ .teaser h3").eachText());
    }

    @Test
    void shouldAnswerConditionalRequestsWith304() {
        heatwave();
        String path = "/articles/heatwave-what-the-records-mean";
        Response first = given().when().get(path);
        String etag = first.header("ETag");
        String lastModified = first.header("Last-Modified");
        assertNotNull(etag);
        assertEquals("Mon, 02 Mar 2026 09:00:00 GMT", lastModified);
        assertTrue(first.header("Cache-Control").contains("max-age"));

        given().header("If-None-Match", etag).when().get(path).then().statusCode(304);
        given().header("If-Modified-Since", lastModified).when().get(path).then().statusCode(304);
        given().header("If-None-Match", "\"other\"").when().get(path).then().statusCode(200);
        given().header("If-None-Match", etag).when().get("/").then().statusCode(200);
        String home = given().when().get("/").header("ETag");
        given().header("If-None-Match", home).when().get("/").then().statusCode(304);
    }

    @Test
    void shouldShowChangesAndAnswerGoneWhenUnpublished() {
        long id = heatwave();
        String path = "/articles/heatwave-what-the-records-mean";
        String etag = given().when().get(path).header("ETag");
        articles.update(id, new ArticleInput("Heatwave: the records explained", null, null, null, null, null, null,
                null, null, null, null, null, null));
        given().header("If-None-Match", etag).when().get(path).then().statusCode(200);
        assertEquals("Heatwave: the records explained — Gazette", page(path).title());

        articles.unpublish(id);
        Response gone = given().accept("text/html").when().get(path);
        assertEquals(410, gone.statusCode());
        assertEquals("Article withdrawn", Jsoup.parse(gone.asString()).selectFirst("h1").text());
    }

    @Test
    void shouldHideDraftsAndUnknownPages() {
        fixtures.draft("Secret draft", "x");
        given().accept("text/html").when().get("/articles/secret-draft").then().statusCode(404);
        given().accept("text/html").when().get("/articles/no-such-thing").then().statusCode(404);
        given().accept("text/html").when().get("/articles/Bad%20Slug").then().statusCode(404);
        given().accept("text/html").when().get("/topics/nothing").then().statusCode(404);
    }

    @Test
    void shouldListLatestOnFrontPageAndPerTopic() {
        heatwave();
        fixtures.published("Bike lanes", "x", "cities");
        fixtures.draft("Not yet", "x", "cities");
        Document home = page("/");
        assertEquals(List.of("Bike lanes", "Heatwave: what the records mean"), home.select("article.teaser h2").eachText());
        assertEquals(List.of("Cities", "Climate"), home.select("nav.topics a").eachText());

        Document cities = page("/topics/cities");
        assertEquals("Cities", cities.selectFirst("h1").text());
        assertEquals(List.of("Bike lanes", "Heatwave: what the records mean"), cities.select("article.teaser h2").eachText());
        assertEquals(List.of("cities"), cities.select("input[name=topics][checked]").eachAttr("value"));
        assertEquals(List.of("Heatwave: what the records mean"), page("/topics/climate").select("article.teaser h2").eachText());
    }

    @Test
    void shouldCarryArrivalAttributionIntoSubscribeForm() {
        heatwave();
        Response response = given().urlEncodingEnabled(false)
                .when().get("/articles/heatwave-what-the-records-mean?ref=Ab12cd&utm_source=mastodon&utm_campaign=%22%3E%3Cscript%3E");
        assertEquals(200, response.statusCode());
        Document doc = Jsoup.parse(response.asString());
        assertEquals("Ab12cd", doc.selectFirst("form input[name=ref]").attr("value"));
        assertEquals("mastodon", doc.selectFirst("form input[name=utm_source]").attr("value"));
        assertEquals(0, doc.select("form input[name=utm_campaign]").size());
        assertFalse(doc.html().contains("<script>\""));
        assertEquals(0, page("/articles/heatwave-what-the-records-mean").select("form input[name=ref]").size());
    }

    @Test
    void theFrontAndTopicPagesCarryTheSameHeadForPreviews() {
        heatwave();
        Document home = page("/");
        assertEquals("http://localhost:8080/", home.selectFirst("link[rel=canonical]").attr("href"));
        assertEquals("website", meta(home, "og:type"));
        assertEquals("Gazette", meta(home, "og:title"));
        assertEquals("http://localhost:8080/", meta(home, "og:url"));
        assertEquals("summary", home.selectFirst("meta[name=twitter:card]").attr("content"));
        assertEquals(1, home.select("link[rel=canonical]").size());

        Document topic = page("/topics/climate");
        assertEquals("http://localhost:8080/topics/climate", topic.selectFirst("link[rel=canonical]").attr("href"));
        assertEquals("Climate", meta(topic, "og:title"));
        assertEquals("All about Climate.", meta(topic, "og:description"));
        assertEquals("All about Climate.", topic.selectFirst("meta[name=description]").attr("content"));
        assertEquals(null, topic.selectFirst("meta[property=og:image]"));
    }

    private static String meta(Document doc, String property) {
        return doc.selectFirst("meta[property=" + property + "]").attr("content");
    }
}
