package dev.gazette.admin.web;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import jakarta.inject.Inject;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gazette.lifecycle.WebhookDispatcher;
import dev.gazette.lifecycle.WebhookEndpoint;
import dev.gazette.testing.EditorSession;
import dev.gazette.testing.Fixtures;
import dev.gazette.testing.GazetteTest;
import dev.gazette.testing.HtmlValidator;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The webhooks pages over HTTP: valid HTML, field errors with 400 and nothing saved, the secret kept when the field is
 * left empty, CSRF required, and the delivery log with its Replay form.
 */
@QuarkusTest
class WebhookPagesTest extends GazetteTest {

    private static final HtmlValidator HTML = new HtmlValidator();
    private static final String SECRET = "pages-receiver-secret-77c1";

    @Inject
    WebhookDispatcher dispatcher;

    private EditorSession editor;

    private static void assertValid(String page) {
        // htmx's attributes (hx-headers on every editor page's body) are not HTML5's own; everything else must be valid.
        assertEquals(List.of(), HTML.errors(page).stream().filter(e -> !e.contains("“hx-")).toList(), "valid HTML5");
    }

    private static List<WebhookEndpoint> stored() {
        return QuarkusTransaction.requiringNew().call(() -> WebhookEndpoint.<WebhookEndpoint> listAll());
    }

    @BeforeEach
    void signIn() {
        fixtures.editorToken();
        editor = EditorSession.signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD, "/admin/webhooks/new");
    }

    @Test
    void badInputIsShownNextToItsFieldsAndNothingIsSaved() {
        String page = editor.form().formParam("name", "CRM").formParam("url", "gopher://example.org/")
                .formParam("secret", SECRET).formParam("event", "issue.sold").post("/admin/webhooks")
                .then().statusCode(400).extract().asString();
        assertValid(page);
        Document doc = Jsoup.parse(page);
        assertEquals("must be an http or https URL with a host", doc.getElementById("url-error").text());
        assertTrue(doc.getElementById("events-error").text().startsWith("unknown event type issue.sold"));
        assertEquals("true", doc.getElementById("url").attr("aria-invalid"));
        assertEquals("", doc.getElementById("secret").attr("value"), "the secret is not shown back");
        assertFalse(page.contains(SECRET));
        assertTrue(stored().isEmpty());

        given().redirects().follow(false).cookie("gazette-session", editor.cookie()).contentType("application/x-www-form-urlencoded")
                .formParam("name", "CRM").formParam("url", wireMock.baseUrl() + "/hooks").formParam("secret", SECRET)
                .post("/admin/webhooks").then().statusCode(403);
        assertTrue(stored().isEmpty(), "no CSRF token, nothing saved");
    }

    @Test
    void anEndpointKeepsItsSecretWhenTheFieldIsLeftEmptyAndShowsItsDeliveries() {
        wireMock.stubFor(post(urlEqualTo("/hooks")).willReturn(aResponse().withStatus(503)));
        String location = editor.form().formParam("name", "CRM").formParam("url", wireMock.baseUrl() + "/hooks")
                .formParam("secret", SECRET).formParam("active", "true").post("/admin/webhooks")
                .then().statusCode(303).header("Location", endsWith("?notice=created")).extract().header("Location");
        long id = stored().get(0).id;
        byte[] sealed = stored().get(0).secret;

        editor.form().formParam("name", "CRM sync").formParam("url", wireMock.baseUrl() + "/hooks").formParam("secret", "")
                .formParam("event", "article.published").formParam("active", "true").post("/admin/webhooks/" + id)
                .then().statusCode(303);
        WebhookEndpoint saved = stored().get(0);
        assertEquals("CRM sync", saved.name);
        assertEquals("article.published", saved.events);
        assertTrue(java.util.Arrays.equals(sealed, saved.secret), "an empty field keeps the stored secret");

        fixtures.published("Storm warning for the coast", "Winds of 120 km/h.");
        assertEquals(1, dispatcher.deliverDue());
        String page = editor.page().get(location).then().statusCode(200).extract().asString();
        assertValid(page);
        assertFalse(page.contains(SECRET));
        Document doc = Jsoup.parse(page);
        var row = doc.selectFirst("#deliveries ~ .table-scroll table tbody tr");
        assertEquals("RETRY", row.selectFirst(".status").text());
        assertTrue(row.text().contains("HTTP 503"), row.text());
        assertTrue(row.select("td").get(4).text().contains("09:00"), "the next attempt: " + row.select("td").get(4).text());
        assertEquals(editor.csrf(), row.selectFirst("form input[name=csrf-token]").val());

        String list = editor.page().get("/admin/webhooks").then().statusCode(200).extract().asString();
        assertValid(list);
        assertEquals("CRM sync", Jsoup.parse(list).selectFirst("main tbody td a").text());
    }
}
