package dev.gazette.admin.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

import dev.gazette.testing.EditorSession;
import dev.gazette.testing.Fixtures;
import dev.gazette.testing.GazetteTest;
import dev.gazette.testing.HtmlValidator;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Federation off (the default): the channels list says the publication could be followed from the fediverse, and the
 * fediverse page explains how to turn it on, as a page rather than an error.
 */
@QuarkusTest
class FediverseOffPagesTest extends GazetteTest {

    private static final HtmlValidator HTML = new HtmlValidator();

    @Test
    void shouldExplainHowToTurnFederationOn() {
        fixtures.editorToken();
        EditorSession editor = EditorSession.signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD, "/admin/channels");

        Document channels = Jsoup.parse(editor.page().get("/admin/channels").then().statusCode(200).extract().asString());
        assertNull(channels.getElementById("fediverse-channel"));
        Element off = channels.getElementById("fediverse-off");
        assertTrue(off.text().contains("can be followed from Mastodon"), off.text());
        assertEquals("/admin/fediverse", off.selectFirst("a").attr("href"));

        String html = editor.page().get("/admin/fediverse").then().statusCode(200).extract().asString();
        assertEquals(List.of(), HTML.errors(html).stream().filter(e -> !e.contains("“hx-")).toList(), "valid HTML5");
        Document page = Jsoup.parse(html);
        assertTrue(page.getElementById("federation-off").text().startsWith("Federation is off."));
        assertTrue(page.select("pre").text().contains("GAZETTE_FEDIVERSE_ENABLED=true"));
        assertEquals("channels", page.selectFirst("nav a[aria-current=page]").text().toLowerCase());
    }
}
