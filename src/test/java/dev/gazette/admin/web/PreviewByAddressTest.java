package dev.gazette.admin.web;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gazette.digest.Cadence;
import dev.gazette.digest.Newsletter;
import dev.gazette.digest.NewsletterInput;
import dev.gazette.digest.NewsletterService;
import dev.gazette.subscriber.Frequency;
import dev.gazette.subscriber.Subscriber;
import dev.gazette.testing.EditorSession;
import dev.gazette.testing.Fixtures;
import dev.gazette.testing.GazetteTest;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A digest previewed and test-sent as a reader chosen by their address, in any case; an address no reader has is a
 * field error, and nothing is sent.
 */
@QuarkusTest
class PreviewByAddressTest extends GazetteTest {

    @Inject
    NewsletterService newsletters;

    private EditorSession editor;
    private Newsletter newsletter;

    @BeforeEach
    void newsletterAndReaders() {
        fixtures.editorToken();
        fixtures.topic("Climate", "climate");
        fixtures.topic("Cities", "cities");
        newsletter = newsletters.create(new NewsletterInput("Morning", "morning", null, List.of(), Cadence.DAILY, null, "07:00",
                "Gazette", "news@news.example.org", null, null, null, null, null, null, null));
        fixtures.published("Glaciers retreat", "Ice.", "climate");
        fixtures.published("Trams return", "Rails.", "cities");
        editor = EditorSession.signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD, "/admin/newsletters/" + newsletter.id);
    }

    @Test
    void previewAsAReaderChosenByAddress() {
        Subscriber ana = fixtures.reader("ana@example.org", "Europe/Paris", Frequency.DAILY, "cities");
        String base = "/admin/newsletters/" + newsletter.id;
        editor.page().get(base).then().statusCode(200)
                .body(containsString("<input type=\"email\" id=\"preview-reader\" name=\"reader\""));

        String html = editor.page().queryParam("reader", " Ana@Example.org ").get(base + "/preview").then().statusCode(200)
                .body(containsString("<strong id=\"digest-subject\">Morning: Trams return</strong>"))
                .body(containsString("the next digest of Ana@Example.org"))
                .body(containsString("src=\"/admin/frames/newsletters/" + newsletter.id + "?subscriberId=" + ana.id + "\""))
                .body(containsString("value=\"Ana@Example.org\""))
                .extract().asString();
        int also = html.indexOf("ALSO READ");
        String text = html.substring(html.indexOf("id=\"digest-text\""), also < 0 ? html.length() : also);
        assertTrue(text.contains("Trams return") && !text.contains("Glaciers retreat"), "the reader's topic: " + text);

        editor.page().queryParam("reader", "nobody@example.org").get(base + "/preview").then().statusCode(400)
                .body(containsString("<p class=\"field-error\" id=\"reader-error\">no reader has the address nobody@example.org;"
                        + " leave it empty for a generic digest</p>"))
                .body(containsString("aria-invalid=\"true\""))
                .body(not(containsString("digest-subject")));
        // a number still works, as older links carry it
        editor.page().queryParam("reader", ana.id.toString()).get(base + "/preview").then().statusCode(200)
                .body(containsString("Morning: Trams return"));
    }

    @Test
    void testSendAsAReaderChosenByAddress() throws Exception {
        fixtures.reader("ana@example.org", "Europe/Paris", Frequency.DAILY, "climate");
        String base = "/admin/newsletters/" + newsletter.id;
        editor.form().formParam("to", "desk@example.org").formParam("reader", "nobody@example.org").post(base + "/test").then()
                .statusCode(400)
                .body(containsString("<p class=\"field-error\" id=\"test-reader-error\">no reader has the address"
                        + " nobody@example.org; leave it empty for a generic digest</p>"))
                .body(containsString("value=\"nobody@example.org\""));
        assertEquals(0, greenMail.getReceivedMessages().length);

        editor.form().formParam("to", "desk@example.org").formParam("reader", "ANA@example.org").post(base + "/test").then()
                .statusCode(303);
        assertTrue(greenMail.waitForIncomingEmail(5000, 1));
        MimeMessage mail = greenMail.getReceivedMessages()[0];
        assertEquals("[Test] Morning: Glaciers retreat", mail.getSubject());
        assertEquals("desk@example.org", mail.getAllRecipients()[0].toString());
    }
}
