package dev.gazette.article.feed;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.xml.parsers.DocumentBuilderFactory;

import jakarta.inject.Inject;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

import dev.gazette.testing.GazetteTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Titles and descriptions reach feed readers as text. RSS readers take both for HTML, so what they get must hold no
 * element and no attribute once read as HTML, whether an editor wrote the text or another site's feed brought it.
 */
@QuarkusTest
class FeedTextTest extends GazetteTest {

    private static final String TITLE = "\"><img src=x onerror=alert(1)>";
    private static final String SUMMARY = "\"><img src=x onerror=alert(2)>";
    private static final String AUTHOR = "<img src=y onerror=alert(4)> Ada";
    private static final String TOPIC = "<b onmouseover=alert(3)>Climate</b>";

    @Inject
    FeedImporter importer;

    /** Each title and description of an RSS feed, read as a feed reader reads it: XML first, then HTML. */
    private static List<Element> rssTexts(String path) throws Exception {
        String xml = given().get(path).then().statusCode(200).extract().asString();
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        List<Element> texts = new ArrayList<>();
        for (String tag : List.of("title", "description", "author", "dc:creator", "category")) {
            NodeList nodes = doc.getElementsByTagName(tag);
            for (int i = 0; i < nodes.getLength(); i++) {
                texts.add(Jsoup.parseBodyFragment(nodes.item(i).getTextContent()).body());
            }
        }
        return texts;
    }

    private static void assertOnlyText(List<Element> texts) {
        for (Element body : texts) {
            assertEquals(1, body.getAllElements().size(), "no element in " + body.html());
            assertTrue(body.attributes().isEmpty());
        }
    }

    @Test
    void anEditorsTitleAndSummaryReachRssReadersAsText() throws Exception {
        String token = fixtures.editorToken();
        fixtures.topic(TOPIC, "climate");
        long id = ((Number) given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("title", TITLE, "summary", SUMMARY, "author", AUTHOR, "body", "Body.", "topics", List.of("climate")))
                .post("/api/v1/articles").then().statusCode(201).extract().path("id")).longValue();
        given().auth().oauth2(token).post("/api/v1/articles/" + id + "/publish").then().statusCode(200);

        List<Element> site = rssTexts("/feed.xml");
        assertOnlyText(site);
        List<String> shown = site.stream().map(Element::text).toList();
        assertTrue(shown.contains(TITLE), shown.toString());
        assertTrue(shown.contains(SUMMARY), shown.toString());
        assertTrue(shown.contains(AUTHOR), shown.toString());
        assertTrue(shown.contains(TOPIC), shown.toString());

        List<Element> topic = rssTexts("/topics/climate/feed.xml");
        assertOnlyText(topic);
        assertTrue(topic.stream().map(Element::text).anyMatch(t -> t.startsWith(TOPIC + " — ")), topic.toString());
    }

    @Test
    void atomMarksTheSameTextsAsText() {
        fixtures.published(TITLE, "Body.");
        String xml = given().get("/atom.xml").then().statusCode(200).extract().asString();
        org.jsoup.nodes.Document atom = Jsoup.parse(xml, "", org.jsoup.parser.Parser.xmlParser());
        for (Element e : atom.select("entry > title, entry > summary")) {
            // RFC 4287: a text construct without a type is text
            assertTrue(e.attr("type").isEmpty() || e.attr("type").equals("text"), e.outerHtml());
        }
        assertTrue(atom.select("entry > title").text().contains(TITLE));
    }

    @Test
    void textFromAnImportedFeedIsPassedOnAsText() throws Exception {
        String token = fixtures.editorToken();
        wireMock.stubFor(get(urlEqualTo("/partner.atom")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/atom+xml").withBody("""
                        <?xml version="1.0" encoding="UTF-8"?>
                        <feed xmlns="http://www.w3.org/2005/Atom"><title>Partner</title><id>urn:partner</id>
                        <updated>2026-03-01T08:00:00Z</updated>
                        <entry><id>urn:partner:1</id><title type="text">Partner news</title>
                        <link href="https://blog.example.org/1"/><updated>2026-03-01T08:00:00Z</updated>
                        <author><name>&lt;b&gt;Bob&lt;/b&gt; &amp;amp; Co</name></author>
                        <summary type="text">"&gt;&lt;img src=x onerror=alert(2)&gt;</summary></entry></feed>""")));
        long id = ((Number) given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"url\": \"" + wireMock.baseUrl() + "/partner.atom\", \"topics\": [], \"pollIntervalMinutes\": 30,"
                        + " \"importAs\": \"PUBLISHED\"}")
                .post("/api/v1/feeds").then().statusCode(201).extract().path("id")).longValue();
        assertEquals(1, importer.poll(id).created());

        List<Element> texts = rssTexts("/feed.xml");
        assertOnlyText(texts);
        assertTrue(texts.stream().map(Element::text).anyMatch(t -> t.equals("\"><img src=x onerror=alert(2)>")),
                texts.toString());
        // an author given as HTML is kept as its plain text
        assertTrue(texts.stream().map(Element::text).anyMatch(t -> t.equals("Bob & Co")), texts.toString());
    }
}
