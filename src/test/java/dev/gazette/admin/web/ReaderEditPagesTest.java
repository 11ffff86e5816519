package dev.gazette.admin.web;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gazette.subscriber.ConsentSource;
import dev.gazette.subscriber.Frequency;
import dev.gazette.subscriber.Subscriber;
import dev.gazette.subscriber.SubscriberEvent;
import dev.gazette.subscriber.SubscriberStatus;
import dev.gazette.subscriber.SuppressionReason;
import dev.gazette.subscriber.SuppressionService;
import dev.gazette.testing.EditorSession;
import dev.gazette.testing.Fixtures;
import dev.gazette.testing.GazetteTest;
import dev.gazette.testing.HtmlValidator;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

/**
 * Readers edited and added by hand over HTTP: what the history records, the field errors of bad input, the consent
 * an editor records, suppressed and known addresses refused, and the counts on every list of readers.
 */
@QuarkusTest
class ReaderEditPagesTest extends GazetteTest {

    @Inject
    SuppressionService suppressions;

    private static final HtmlValidator HTML = new HtmlValidator();

    private EditorSession editor;

    private static void assertValid(String page) {
        // htmx's attributes (hx-headers on every editor page's body) are not HTML5's own; everything else must be valid.
        assertEquals(List.of(), HTML.errors(page).stream().filter(e -> !e.contains("“hx-")).toList(), "valid HTML5");
    }

    @BeforeEach
    void signIn() {
        fixtures.editorToken();
        fixtures.topic("Climate", "climate");
        fixtures.topic("Cities", "cities");
        editor = EditorSession.signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD, "/admin/subscribers/new");
    }

    private RequestSpecification form() {
        return editor.form();
    }

    private static Subscriber reader(long id) {
        return QuarkusTransaction.requiringNew().call(() -> Subscriber.findWithTopics(id).orElse(null));
    }

    private static Subscriber reader(String email) {
        return QuarkusTransaction.requiringNew().call(() -> Subscriber.<Subscriber> find("emailKey", email).firstResultOptional()
                .flatMap(s -> Subscriber.findWithTopics(s.id)).orElse(null));
    }

    private static List<SubscriberEvent> history(long id) {
        return QuarkusTransaction.requiringNew().call(() -> SubscriberEvent.history(id));
    }

    private static List<String> slugs(Subscriber s) {
        return s.topics.stream().map(t -> t.slug).sorted().toList();
    }

    @Test
    void anEditRecordsWhatChangedAndWhoChangedIt() {
        long id = fixtures.reader("ana@example.org", "UTC", Frequency.WEEKLY, "climate").id;
        String page = editor.page().get("/admin/subscribers/" + id + "/edit").then().statusCode(200)
                .body(containsString("<option selected>UTC</option>"))
                .body(containsString("<option>Europe/Paris</option>"))
                .body(containsString("name=\"topics\" value=\"climate\" checked"))
                .extract().asString();
        assertValid(page);

        form().formParam("name", "Ana Ruiz").formParam("topics", "cities").formParam("frequency", "DAILY")
                .formParam("timezone", "Europe/Paris").post("/admin/subscribers/" + id + "/edit").then().statusCode(303)
                .header("Location", endsWith("/admin/subscribers/" + id + "?notice=edited"));

        Subscriber ana = reader(id);
        assertEquals(List.of("cities"), slugs(ana));
        assertFalse(ana.allTopics);
        assertEquals(Frequency.DAILY, ana.frequency);
        assertEquals("Europe/Paris", ana.timezone);
        assertEquals("Ana Ruiz", ana.name);
        SubscriberEvent edited = history(id).get(history(id).size() - 1);
        assertEquals("EDITED", edited.type);
        assertEquals("Edited by editor: topics climate → cities, frequency weekly → daily, time zone UTC → Europe/Paris,"
                + " name changed", edited.detail);
        editor.page().get("/admin/subscribers/" + id + "?notice=edited").then().statusCode(200)
                .body(containsString("The reader&#39;s preferences are saved"))
                .body(containsString("Edited by editor: topics climate → cities"));

        // Saving the same choices again changes nothing and records nothing.
        int entries = history(id).size();
        form().formParam("name", "Ana Ruiz").formParam("topics", "cities").formParam("frequency", "DAILY")
                .formParam("timezone", "Europe/Paris").post("/admin/subscribers/" + id + "/edit").then().statusCode(303);
        assertEquals(entries, history(id).size());

        form().formParam("allTopics", "true").formParam("frequency", "DAILY").formParam("timezone", "Europe/Paris")
                .formParam("name", "Ana Ruiz").post("/admin/subscribers/" + id + "/edit").then().statusCode(303);
        assertTrue(reader(id).allTopics);
        assertEquals("Edited by editor: topics cities → all", history(id).get(history(id).size() - 1).detail);
    }

    @Test
    void aTimeZoneTheSelectDoesNotListStaysSelected() {
        long id = fixtures.reader("old@example.org", "US/Eastern", Frequency.WEEKLY).id;
        editor.page().get("/admin/subscribers/" + id + "/edit").then().statusCode(200)
                .body(containsString("<option selected>US/Eastern</option>"));
        form().formParam("allTopics", "true").formParam("frequency", "WEEKLY").formParam("timezone", "US/Eastern")
                .post("/admin/subscribers/" + id + "/edit").then().statusCode(303);
        assertEquals("US/Eastern", reader(id).timezone);
        assertEquals(List.of("CONFIRMED"), history(id).stream().map(e -> e.type).toList(), "nothing changed");
    }

    @Test
    void badInputOnTheEditFormGetsFieldErrorsAndChangesNothing() {
        long id = fixtures.reader("ana@example.org", "UTC", Frequency.WEEKLY, "climate").id;
        String page = form().formParam("frequency", "HOURLY").formParam("timezone", "Mars/Olympus")
                .formParam("name", "x".repeat(201)).post("/admin/subscribers/" + id + "/edit").then().statusCode(400)
                .body(containsString("<p class=\"field-error\" id=\"frequency-error\">must be daily or weekly</p>"))
                .body(containsString("<p class=\"field-error\" id=\"timezone-error\">is not a known time zone"))
                .body(containsString("<p class=\"field-error\" id=\"topics-error\">choose at least one topic, or all topics</p>"))
                .body(containsString("<p class=\"field-error\" id=\"name-error\">must be at most 200 characters</p>"))
                .body(containsString("aria-invalid=\"true\" aria-describedby=\"timezone-error\""))
                .extract().asString();
        assertValid(page);
        form().formParam("topics", "nope").formParam("frequency", "WEEKLY").formParam("timezone", "+02:00")
                .post("/admin/subscribers/" + id + "/edit").then().statusCode(400)
                .body(containsString("id=\"topics-error\">unknown topics: nope</p>"))
                .body(containsString("id=\"timezone-error\">is not a known time zone"));
        editor.page().contentType(io.restassured.http.ContentType.URLENC).formParam("allTopics", "true")
                .formParam("frequency", "DAILY").formParam("timezone", "UTC").post("/admin/subscribers/" + id + "/edit")
                .then().statusCode(403);

        Subscriber ana = reader(id);
        assertEquals(List.of("climate"), slugs(ana));
        assertEquals(Frequency.WEEKLY, ana.frequency);
        assertEquals("UTC", ana.timezone);
        assertEquals(List.of("CONFIRMED"), history(id).stream().map(e -> e.type).toList());
    }

    @Test
    void aReaderAddedByHandGetsTheConfirmationMailByDefault() throws Exception {
        assertValid(editor.page().get("/admin/subscribers/new").then().statusCode(200)
                .body(containsString("<option value=\"PAPER_FORM\" >signed a paper form</option>"))
                .extract().asString());
        String location = form().formParam("email", "Paper@Example.org").formParam("name", "Pat")
                .formParam("topics", "climate").formParam("frequency", "DAILY").formParam("timezone", "Europe/Berlin")
                .formParam("consentMethod", "PAPER_FORM").formParam("consentNote", "fair stand, 3 Dec")
                .formParam("confirmation", "mail").post("/admin/subscribers/new").then().statusCode(303)
                .extract().header("Location");
        assertTrue(location.endsWith("?notice=added-pending"), location);

        Subscriber pat = reader("paper@example.org");
        assertNotNull(pat);
        assertEquals(SubscriberStatus.PENDING, pat.status);
        assertEquals(ConsentSource.EDITOR, pat.consentSource);
        assertEquals("signed a paper form: fair stand, 3 Dec", pat.sourceLabel);
        assertEquals(List.of("climate"), slugs(pat));
        assertEquals("Europe/Berlin", pat.timezone);
        assertNull(pat.confirmedAt);
        List<SubscriberEvent> history = history(pat.id);
        assertEquals(List.of("ADDED_BY_EDITOR", "CONFIRMATION_SENT"), history.stream().map(e -> e.type).toList());
        assertEquals("Added by editor, confirmation mail to follow; consent: signed a paper form: fair stand, 3 Dec",
                history.get(0).detail);
        assertTrue(greenMail.waitForIncomingEmail(5000, 1));
        MimeMessage mail = greenMail.getReceivedMessages()[0];
        assertEquals("Paper@example.org", mail.getAllRecipients()[0].toString());
        editor.page().get(location).then().statusCode(200).body(containsString("the confirmation mail is on its way"))
                .body(containsString("signed a paper form: fair stand, 3 Dec"));
    }

    @Test
    void aReaderAddedAsConfirmedIsActiveAtOnceWithoutMail() throws Exception {
        form().formParam("email", "met@example.org").formParam("allTopics", "true").formParam("frequency", "WEEKLY")
                .formParam("timezone", "UTC").formParam("consentMethod", "IN_PERSON").formParam("confirmation", "confirmed")
                .post("/admin/subscribers/new").then().statusCode(303).header("Location", endsWith("?notice=added"));
        Subscriber met = reader("met@example.org");
        assertEquals(SubscriberStatus.ACTIVE, met.status);
        assertTrue(met.allTopics);
        assertNotNull(met.confirmedAt);
        assertEquals(List.of("ADDED_BY_EDITOR"), history(met.id).stream().map(e -> e.type).toList());
        assertEquals("Added by editor, who attests the reader's consent; consent: told us in person", history(met.id).get(0).detail);
        assertFalse(greenMail.waitForIncomingEmail(500, 1), "no mail");
    }

    @Test
    void addingRefusesBadInputKnownAndSuppressedAddresses() {
        long known = fixtures.activeSubscriber("known@example.org").id;
        String page = form().formParam("email", "KNOWN@example.org").formParam("allTopics", "true").formParam("frequency", "WEEKLY")
                .formParam("timezone", "UTC").formParam("consentMethod", "IN_PERSON").post("/admin/subscribers/new").then()
                .statusCode(409)
                .body(containsString("<p class=\"field-error\" id=\"email-error\">is already a reader&#39;s address:"
                        + " <a href=\"/admin/subscribers/" + known + "\">see the reader</a></p>"))
                .body(containsString("value=\"KNOWN@example.org\"")).extract().asString();
        assertValid(page);

        suppressions.suppress("blocked@example.org", SuppressionReason.BLOCKED, null);
        QuarkusTransaction.requiringNew().run(() -> Subscriber.delete("emailKey", "blocked@example.org"));
        form().formParam("email", "blocked@example.org").formParam("allTopics", "true").formParam("frequency", "WEEKLY")
                .formParam("timezone", "UTC").formParam("consentMethod", "IN_PERSON").post("/admin/subscribers/new").then()
                .statusCode(409)
                .body(containsString("id=\"email-error\">is on the suppression list (blocked): it gets no mail and cannot be added</p>"));

        form().formParam("email", "not-an-address").formParam("frequency", "WEEKLY").formParam("timezone", "Nowhere/Town")
                .formParam("consentMethod", "OTHER").post("/admin/subscribers/new").then().statusCode(400)
                .body(containsString("id=\"email-error\">is not a valid email address</p>"))
                .body(containsString("id=\"timezone-error\">is not a known time zone"))
                .body(containsString("id=\"topics-error\">choose at least one topic, or all topics</p>"))
                .body(containsString("id=\"consentNote-error\">say how the reader gave consent</p>"));
        form().formParam("email", "new@example.org").formParam("allTopics", "true").formParam("frequency", "WEEKLY")
                .formParam("timezone", "UTC").post("/admin/subscribers/new").then().statusCode(400)
                .body(containsString("id=\"consentMethod-error\">choose how the reader gave consent</p>"));
        editor.page().contentType(io.restassured.http.ContentType.URLENC).formParam("email", "new@example.org")
                .formParam("allTopics", "true").formParam("frequency", "WEEKLY").formParam("timezone", "UTC")
                .formParam("consentMethod", "IN_PERSON").post("/admin/subscribers/new").then().statusCode(403);

        assertNull(reader("new@example.org"));
        assertNull(reader("blocked@example.org"));
        assertEquals(1L, QuarkusTransaction.requiringNew().call(() -> Subscriber.count()));
    }

    @Test
    void everyListOfReadersSaysHowManyItHolds() {
        long ana = fixtures.activeSubscriber("ana@example.org").id;
        fixtures.activeSubscriber("ben@example.org");
        fixtures.activeSubscriber("bob@example.org");
        editor.page().get("/admin/subscribers").then().statusCode(200)
                .body(containsString("<p id=\"result-count\">3 readers match</p>"));
        editor.page().queryParam("email", "b").queryParam("limit", "1").get("/admin/subscribers").then().statusCode(200)
                .body(containsString("<p id=\"result-count\">2 readers match; 1 on this page</p>"));
        editor.page().queryParam("email", "ana").get("/admin/subscribers").then().statusCode(200)
                .body(containsString("<p id=\"result-count\">1 reader matches</p>"));
        editor.page().queryParam("email", "zed").get("/admin/subscribers").then().statusCode(200)
                .body(containsString("<p id=\"result-count\">0 readers match</p>"));
        editor.page().get("/admin/subscribers/" + ana).then().statusCode(200)
                .body(containsString("<p class=\"muted\" id=\"history-count\">1 entry</p>"));
        editor.page().get("/admin/subscribers/imports").then().statusCode(200)
                .body(containsString("<p class=\"muted\" id=\"imports-count\">0 imports</p>"))
                .body(not(containsString("newest shown")));
    }
}
