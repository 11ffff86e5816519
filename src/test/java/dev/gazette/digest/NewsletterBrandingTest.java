package dev.gazette.digest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gazette.subscriber.Frequency;
import dev.gazette.subscriber.Subscriber;
import dev.gazette.testing.EditorSession;
import dev.gazette.testing.Fixtures;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * A newsletter's look and legal footer: the accent colour (checked for contrast), the footer text and the sender's
 * postal address reach both parts of every digest; a newsletter without an address is named.
 */
@QuarkusTest
class NewsletterBrandingTest extends DigestTestBase {

    private static final String ADDRESS = "Gazette Media Ltd\n12 Harbour Street\nBristol BS1 4RN, United Kingdom";
    private static final String ONE_LINE = "Gazette Media Ltd · 12 Harbour Street · Bristol BS1 4RN, United Kingdom";

    private String token;
    private Newsletter newsletter;

    @BeforeEach
    void newsletterWithNews() {
        token = fixtures.editorToken();
        worldNews();
        newsletter = daily("world");
    }

    private io.restassured.response.Response patch(Map<String, String> fields) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(fields)
                .when().patch("/api/v1/newsletters/" + newsletter.id);
    }

    @Test
    void theFooterTextPostalAddressAndAccentAreInBothPartsOfEveryDigest() throws Exception {
        assertEquals(List.of("world-morning"), newsletters.withoutPostalAddress(), "named at start-up until it has one");
        patch(Map.of("accentColor", "#8A1538", "footerText", "Gazette is an independent newsroom.\nWrite to desk@news.example.org.",
                "postalAddress", ADDRESS)).then().statusCode(200)
                .body("accentColor", equalTo("#8a1538")).body("postalAddress", equalTo(ADDRESS));
        assertEquals(List.of(), newsletters.withoutPostalAddress());

        Subscriber reader = fixtures.reader("reader@example.org", "UTC", Frequency.DAILY, "world");
        long readers = given().auth().oauth2(token).get("/api/v1/newsletters/" + newsletter.id + "/audience")
                .then().extract().jsonPath().getLong("recipients");
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("expectedRecipients", readers))
                .when().post("/api/v1/newsletters/" + newsletter.id + "/issues").then().statusCode(201);
        sender.sendDue();
        assertEquals("SENT", delivery(reader.id).status(), delivery(reader.id).lastError());

        Multipart parts = (Multipart) messageTo("reader@example.org").getContent();
        // lines end in CRLF on the wire
        String text = parts.getBodyPart(0).getContent().toString().replace("\r\n", "\n");
        String html = parts.getBodyPart(1).getContent().toString().replace("\r\n", "\n");
        assertTrue(text.contains("Gazette is an independent newsroom.\nWrite to desk@news.example.org."), text);
        assertTrue(text.strip().endsWith("Unsubscribe: " + unsubscribeLine(text) + "\n" + ONE_LINE), text);
        assertTrue(html.contains("border-top:4px solid #8a1538"), "the accent's rule");
        assertTrue(html.contains("style=\"color:#8a1538;\">Unsubscribe</a>"), "links in the accent");
        assertTrue(html.contains("white-space:pre-line;\">Gazette is an independent newsroom.\nWrite to desk@news.example.org.</p>"),
                html);
        assertTrue(html.contains("<br>" + ONE_LINE), html);
    }

    private static String unsubscribeLine(String text) {
        return text.lines().filter(l -> l.startsWith("Unsubscribe: ")).findFirst().orElseThrow().substring(13);
    }

    @Test
    void aColourTooLightToReadOrNotAColourIsRefusedNamingTheField() {
        patch(Map.of("accentColor", "#ffd700")).then().statusCode(400).contentType("application/problem+json")
                .body("violations[0].field", equalTo("accentColor"))
                .body("violations[0].message", equalTo("#ffd700 is too light on the digest's white page (contrast 1.4:1): links"
                        + " in it would be hard to read. Choose a darker colour, with at least 4.5:1"));
        patch(Map.of("accentColor", "crimson")).then().statusCode(400).body("violations.field", hasItem("accentColor"))
                .body("violations[0].message", containsString("#rrggbb"));
        patch(Map.of("accentColor", "")).then().statusCode(200);
        assertEquals(null, QuarkusTransaction.requiringNew().call(() -> Newsletter.<Newsletter>findById(newsletter.id).accentColor));
    }

    @Test
    void theEditorSetsThemOnTheFormAndIsToldWhileTheAddressIsMissing() {
        EditorSession editor = EditorSession.signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD, "/admin/newsletters/" + newsletter.id);
        editor.page().get("/admin/newsletters/" + newsletter.id).then().statusCode(200)
                .body(containsString("id=\"no-postal-address\""));
        editor.form().formParam("name", "World this morning").formParam("cadence", "DAILY").formParam("weeklyDay", "MONDAY")
                .formParam("sendTime", "07:00").formParam("fromAddress", "world@news.example.org").formParam("maxItems", "10")
                .formParam("template", "STANDARD").formParam("active", "on").formParam("accentColor", "#ffff00")
                .formParam("postalAddress", ADDRESS).post("/admin/newsletters/" + newsletter.id).then().statusCode(400)
                .body(containsString("id=\"accentColor-error\">#ffff00 is too light"))
                .body(containsString(">Gazette Media Ltd\n12 Harbour Street"));
        editor.form().formParam("name", "World this morning").formParam("cadence", "DAILY").formParam("weeklyDay", "MONDAY")
                .formParam("sendTime", "07:00").formParam("fromAddress", "world@news.example.org").formParam("maxItems", "10")
                .formParam("template", "STANDARD").formParam("active", "on").formParam("accentColor", "#8a1538")
                .formParam("footerText", "Independent since 1998.").formParam("postalAddress", ADDRESS)
                .post("/admin/newsletters/" + newsletter.id).then().statusCode(303);
        Newsletter saved = QuarkusTransaction.requiringNew().call(() -> Newsletter.<Newsletter>findById(newsletter.id));
        assertEquals("#8a1538", saved.accentColor);
        assertEquals("Independent since 1998.", saved.footerText);
        assertEquals(ADDRESS, saved.postalAddress);
        assertFalse(editor.page().get("/admin/newsletters/" + newsletter.id).asString().contains("id=\"no-postal-address\""));
    }
}
