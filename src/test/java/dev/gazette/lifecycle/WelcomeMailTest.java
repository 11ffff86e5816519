package dev.gazette.lifecycle;

import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import jakarta.inject.Inject;
import jakarta.mail.Multipart;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gazette.lifecycle.mail.LifecycleMailJob;
import dev.gazette.subscriber.ConsentSource;
import dev.gazette.subscriber.Frequency;
import dev.gazette.subscriber.Subscriber;
import dev.gazette.subscriber.SubscriberStatus;
import dev.gazette.subscriber.SuppressionReason;
import dev.gazette.subscriber.SuppressionService;
import dev.gazette.testing.EditorSession;
import dev.gazette.testing.Fixtures;
import dev.gazette.testing.GazetteTest;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The welcome mail (fixed clock, real SMTP server): switched on in the editor, it reaches each reader who confirms
 * from then on exactly once, with the list headers; readers confirmed before, imported readers and readers who left
 * or were suppressed meanwhile get nothing; a template error is refused naming the field; preview and test work.
 */
@QuarkusTest
class WelcomeMailTest extends GazetteTest {

    @Inject
    LifecycleMailJob job;

    @Inject
    SuppressionService suppressions;

    private EditorSession editor;
    private String token;

    @BeforeEach
    void editor() {
        token = fixtures.editorToken();
        fixtures.topic("World", "world");
        editor = EditorSession.signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD, "/admin/welcome");
    }

    private io.restassured.response.ValidatableResponse post(String action, Map<String, String> fields) {
        Map<String, String> form = new java.util.HashMap<>(Map.of("action", action, "enabled", "on",
                "subject", "Welcome to {site}", "body", "Hello{#if name} {name}{/if}, you follow {topics}.\n\n"
                        + "Change it here: {preferencesUrl}"));
        form.putAll(fields);
        return editor.form().formParams(form).post("/admin/welcome").then();
    }

    private void change(String email, java.util.function.Consumer<Subscriber> change) {
        QuarkusTransaction.requiringNew().run(() -> change.accept(Subscriber.<Subscriber>find("email", email).firstResult()));
    }

    private Map<String, Integer> copies() throws Exception {
        Map<String, Integer> copies = new TreeMap<>();
        for (MimeMessage m : greenMail.getReceivedMessages()) {
            copies.merge(((InternetAddress) m.getRecipients(MimeMessage.RecipientType.TO)[0]).getAddress(), 1, Integer::sum);
        }
        return copies;
    }

    @Test
    void eachReaderWhoConfirmsAfterItIsSwitchedOnGetsItOnce() throws Exception {
        clock.set(Instant.parse("2026-03-02T08:00:00Z"));
        fixtures.reader("before@example.org", "UTC", Frequency.DAILY, "world");
        clock.set(Instant.parse("2026-03-02T09:00:00Z"));
        post("save", Map.of()).statusCode(303);

        clock.set(Instant.parse("2026-03-02T10:00:00Z"));
        fixtures.reader("ana@example.org", "UTC", Frequency.DAILY, "world");
        change("ana@example.org", s -> s.name = "Ana");
        fixtures.reader("imported@example.org", "UTC", Frequency.DAILY, "world");
        change("imported@example.org", s -> s.consentSource = ConsentSource.IMPORT);
        fixtures.reader("left@example.org", "UTC", Frequency.DAILY, "world");
        change("left@example.org", s -> s.status = SubscriberStatus.UNSUBSCRIBED);
        fixtures.reader("bounced@example.org", "UTC", Frequency.DAILY, "world");

        clock.set(Instant.parse("2026-03-02T10:00:30Z"));
        assertEquals(2, job.plan(), "ana and bounced@");
        suppressions.suppress("bounced@example.org", SuppressionReason.HARD_BOUNCE, "550 no such user");
        job.sendDue();
        assertEquals(0, job.plan(), "planned once");
        job.sendDue();
        assertEquals(Map.of("ana@example.org", 1), copies());

        MimeMessage m = greenMail.getReceivedMessages()[0];
        assertEquals("Welcome to Gazette", m.getSubject());
        assertTrue(m.getHeader("List-Unsubscribe")[0].startsWith("<http://localhost:8080/u/"), m.getHeader("List-Unsubscribe")[0]);
        assertEquals("List-Unsubscribe=One-Click", m.getHeader("List-Unsubscribe-Post")[0]);
        String text = ((Multipart) m.getContent()).getBodyPart(0).getContent().toString();
        assertTrue(text.contains("Hello Ana, you follow World."), text);
        assertTrue(text.contains("Change it here: http://localhost:8080/preferences/"), text);
        String html = ((Multipart) m.getContent()).getBodyPart(1).getContent().toString();
        assertTrue(html.contains("Hello Ana, you follow World."), html);
        long skipped = QuarkusTransaction.requiringNew().call(() -> ((Number) io.quarkus.hibernate.orm.panache.Panache
                .getEntityManager().createNativeQuery("select count(*) from lifecycle_mail where status = 'SKIPPED'")
                .getSingleResult()).longValue());
        assertEquals(1, skipped, "the suppressed reader's row is skipped at send time");
    }

    @Test
    void aTemplateErrorIsRefusedAndPreviewAndTestShowTheMessage() throws Exception {
        post("save", Map.of("subject", "Welcome {nme}")).statusCode(400)
                .body(containsString("id=\"subject-error\">may not use {nme}"));
        post("save", Map.of("body", "Hello {#if name}")).statusCode(400)
                .body(containsString("id=\"body-error\">is not a valid template"));

        fixtures.reader("ana@example.org", "UTC", Frequency.DAILY, "world");
        change("ana@example.org", s -> s.name = "Ana");
        post("preview", Map.of("reader", "ana@example.org")).statusCode(200)
                .body(containsString("<strong id=\"welcome-subject\">Welcome to Gazette</strong>"))
                .body(containsString("Hello Ana, you follow World."));
        post("preview", Map.of("reader", "nobody@example.org")).statusCode(400).body(containsString("id=\"reader-error\""));
        post("test", Map.of("testTo", "desk@example.org")).statusCode(200)
                .body(containsString("A test was sent to desk@example.org."));
        assertEquals(Map.of("desk@example.org", 1), copies());
        assertEquals("[Test] Welcome to Gazette", greenMail.getReceivedMessages()[0].getSubject());
        assertEquals(0, job.plan(), "nothing saved, nothing switched on");
    }

    @Test
    void importedReadersGetTheWelcomeOnlyWhenTheEditorAsksOnce() throws Exception {
        long id = ((Number) io.restassured.RestAssured.given().auth().oauth2(token).contentType("text/csv")
                .body("Email,Name\nbo@example.org,Bo\ncy@example.org,Cy\n").queryParam("fileName", "list.csv")
                .when().post("/api/v1/subscribers/imports").then().statusCode(202).extract().path("id")).longValue();
        for (int i = 0; i < 200 && "RUNNING".equals(io.restassured.RestAssured.given().auth().oauth2(token)
                .when().get("/api/v1/subscribers/imports/" + id).then().extract().path("status")); i++) {
            Thread.sleep(50);
        }
        editor.form().post("/admin/welcome/imports/" + id).then().statusCode(409)
                .body(containsString("Switch the welcome mail on first"));
        post("save", Map.of()).statusCode(303);
        assertEquals(0, job.plan(), "imported readers are not welcomed by themselves");
        editor.page().get("/admin/welcome").then().statusCode(200).body(containsString("list.csv #" + id))
                .body(containsString("<td class=\"num\">2</td>"));
        change("cy@example.org", s -> s.status = SubscriberStatus.UNSUBSCRIBED);

        editor.form().post("/admin/welcome/imports/" + id).then().statusCode(303);
        editor.page().get("/admin/welcome?notice=planned-1").then().statusCode(200)
                .body(containsString("1 imported reader gets the welcome"));
        job.sendDue();
        editor.form().post("/admin/welcome/imports/" + id).then().statusCode(303);
        job.sendDue();
        assertEquals(Map.of("bo@example.org", 1), copies(), "once, and not to a reader who left");
    }
}
