package dev.gazette.article;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.List;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.rometools.rome.feed.synd.SyndFeed;
import com.rometools.rome.io.SyndFeedInput;

import dev.gazette.testing.GazetteTest;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class XssTest extends GazetteTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "[click](javascript:alert(1))",
            "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
            "<svg onload=alert(1)><circle r=1></circle></svg>",
            "<iframe src=\"https://evil.example\"></iframe>",
            "<p style=\"background:url(javascript:alert(1))\">styled</p>",
            "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">data</a>",
            "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
            "<div><form action=\"https://evil.example\"><input name=q></form></div>",
            "![x](javascript:alert(1))"
    })
    void shouldNeverLetHostileBodiesReachPagesOrFeeds(String body) throws Exception {
        fixtures.published("Hostile", "Before\n\n" + body + "\n\nAfter");

        Document page = Jsoup.parse(given().when().get("/articles/hostile").then().statusCode(200).extract().asString());
        assertSafe(page.selectFirst(".article-body"));

        String rss = given().when().get("/feed.xml").then().statusCode(200).extract().asString();
        SyndFeed feed = new SyndFeedInput().build(new StringReader(rss));
        assertSafe(Jsoup.parseBodyFragment(feed.getEntries().get(0).getContents().get(0).getValue()).body());

        String stored = given().auth().oauth2(fixtures.editorToken()).when().get("/api/v1/articles")
                .then().extract().path("items[0].bodyHtml");
        assertSafe(Jsoup.parseBodyFragment(stored).body());
    }

    @Test
    void shouldEscapeTitlesInMarkupAndJsonLd() {
        fixtures.published("</script><script>alert(1)</script> \"quoted\"", "x");
        String html = given().when().get("/articles/script-script-alert-1-script-quoted").then().statusCode(200)
                .extract().asString();
        Document page = Jsoup.parse(html);
        List<String> scripts = page.select("script").eachAttr("type");
        assertEquals(List.of("application/ld+json"), scripts.stream().filter(t -> !t.isEmpty()).toList());
        assertEquals(2, page.select("script").size(), "only JSON-LD and the timezone helper");
        assertTrue(page.selectFirst("script[type=application/ld+json]").data().contains("\\u003c/script\\u003e"));
        assertEquals("</script><script>alert(1)</script> \"quoted\"", page.selectFirst("h1").text());
    }

    private static void assertSafe(Element root) {
        for (Element e : root.getAllElements()) {
            assertFalse(List.of("script", "iframe", "svg", "math", "form", "input", "style", "object", "embed")
                    .contains(e.normalName()), "forbidden element " + e.normalName());
            for (Attribute attribute : e.attributes()) {
                String name = attribute.getKey().toLowerCase();
                String value = attribute.getValue().toLowerCase().replaceAll("\\s", "");
                assertFalse(name.startsWith("on"), "event handler " + name);
                assertFalse(name.equals("style"), "inline style");
                assertFalse(value.startsWith("javascript:") || value.startsWith("data:"), name + "=" + value);
            }
        }
    }
}
