package dev.gazette.admin.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;


import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gazette.subscriber.Subscriber;
import dev.gazette.subscriber.SubscriberEvent;
import dev.gazette.subscriber.SubscriberStatus;
import dev.gazette.subscriber.SubscriptionService;
import dev.gazette.subscriber.Suppression;
import dev.gazette.subscriber.SuppressionReason;
import dev.gazette.subscriber.SuppressionService;
import dev.gazette.subscriber.transfer.SubscriberImport;
import dev.gazette.testing.EditorSession;
import dev.gazette.testing.Fixtures;
import dev.gazette.testing.GazetteTest;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * The Subscribers pages over HTTP: erasing needs its confirmation, the suppression rules of the API, the downloads
 * (CSV export, privacy export) with the session cookie, and the upload's own checks.
 */
@QuarkusTest
class SubscriberPagesTest extends GazetteTest {


    @Inject
    SuppressionService suppressions;

    @Inject
    SubscriptionService subscriptions;

    private EditorSession editor;

    @BeforeEach
    void signIn() {
        fixtures.editorToken();
        editor = EditorSession.signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD, "/admin/subscribers");
    }

    private RequestSpecification session() {
        return editor.page();
    }

    private RequestSpecification form() {
        return editor.form();
    }

    private static Subscriber reader(long id) {
        return QuarkusTransaction.requiringNew().call(() -> Subscriber.<Subscriber> findById(id));
    }

    @Test
    void erasingNeedsTheConfirmationThenDeletesThePersonalData() {
        long id = fixtures.activeSubscriber("gone@example.org").id;
        session().get("/admin/subscribers/" + id + "/erase").then().statusCode(200)
                .body(containsString("I understand that this erases gone@example.org for good"));

        form().post("/admin/subscribers/" + id + "/erase").then().statusCode(400)
                .body(containsString("<p class=\"field-error\" id=\"confirm-error\">Tick &quot;I understand&quot; to confirm:"
                        + " erasing cannot be undone.</p>"))
                .body(containsString("aria-invalid=\"true\" aria-describedby=\"confirm-error\""));
        form().formParam("confirm", "no").post("/admin/subscribers/" + id + "/erase").then().statusCode(400);
        session().contentType(ContentType.URLENC).formParam("confirm", "yes").post("/admin/subscribers/" + id + "/erase")
                .then().statusCode(403);
        assertNotNull(reader(id), "not erased without the confirmation");
        assertEquals(1, QuarkusTransaction.requiringNew().call(() -> SubscriberEvent.history(id)).size());

        form().formParam("confirm", "yes").post("/admin/subscribers/" + id + "/erase").then().statusCode(303)
                .header("Location", endsWith("/admin/subscribers?notice=erased"));
        assertNull(reader(id));
        assertEquals(0, QuarkusTransaction.requiringNew().call(() -> SubscriberEvent.history(id)).size());
        Suppression kept = QuarkusTransaction.requiringNew().call(() -> Suppression.<Suppression> findAll().firstResult());
        assertEquals(SuppressionReason.ERASED, kept.reason);
        assertNull(kept.email, "the address itself is not kept");
        assertTrue(suppressions.isSuppressed("gone@example.org"));
        session().get("/admin/subscribers?notice=erased").then().statusCode(200)
                .body(containsString("The reader was erased"))
                .body(not(containsString("gone@example.org")));
        session().accept(ContentType.HTML).get("/admin/subscribers/" + id).then().statusCode(404);
    }

    @Test
    void suppressionsFollowTheRulesOfTheApi() {
        long id = fixtures.activeSubscriber("ana@example.org").id;
        form().formParam("reason", "UNSUBSCRIBED").formParam("note", "typed").post("/admin/subscribers/" + id + "/suppress")
                .then().statusCode(400)
                .body(containsString("<p class=\"field-error\" id=\"reason-error\">choose blocked, hard bounce or complaint</p>"))
                .body(containsString("value=\"typed\""));
        assertTrue(suppressions.find("ana@example.org").isEmpty());

        form().formParam("reason", "COMPLAINT").post("/admin/subscribers/" + id + "/suppress").then().statusCode(303)
                .header("Location", endsWith("/admin/subscribers/" + id + "?notice=suppressed"));
        assertEquals(SubscriberStatus.COMPLAINED, reader(id).status);
        assertEquals(SuppressionReason.COMPLAINT, suppressions.find("ana@example.org").orElseThrow().reason);

        long left = fixtures.activeSubscriber("left@example.org").id;
        subscriptions.unsubscribe(left, "by the reader");
        session().get("/admin/subscribers/" + left).then().statusCode(200)
                .body(containsString("An unsubscribed address is lifted only by the reader subscribing again and confirming."))
                .body(not(containsString("Lift the suppression")));
        form().post("/admin/subscribers/" + left + "/unsuppress").then().statusCode(409)
                .body(containsString("An unsubscribed address is lifted only by the reader subscribing again and confirming."));
        assertEquals(SubscriberStatus.UNSUBSCRIBED, reader(left).status);
        assertTrue(suppressions.isSuppressed("left@example.org"));

        form().post("/admin/subscribers/" + id + "/unsuppress").then().statusCode(303)
                .header("Location", endsWith("?notice=lifted"));
        assertEquals(SubscriberStatus.ACTIVE, reader(id).status);
    }

    @Test
    void theDownloadsWorkWithTheSession() {
        long id = fixtures.activeSubscriber("ana@example.org").id;
        QuarkusTransaction.requiringNew().run(() -> Subscriber.<Subscriber> findById(id).name = "=HYPERLINK(\"x\")");
        fixtures.activeSubscriber("ben@example.org");
        QuarkusTransaction.requiringNew().run(() -> Subscriber.<Subscriber> find("emailKey", "ben@example.org").firstResult()
                .status = SubscriberStatus.UNSUBSCRIBED);

        String all = session().get("/admin/subscribers/export.csv").then().statusCode(200)
                .contentType(containsString("text/csv"))
                .header("Content-Disposition", equalTo("attachment; filename=\"subscribers.csv\"")).extract().asString();
        String[] lines = all.split("\r\n");
        assertEquals("email,name,status,topics,frequency,timezone,subscribed at,confirmed at,source", lines[0]);
        assertEquals(3, lines.length);
        assertTrue(lines[1].startsWith("ana@example.org,\"'=HYPERLINK(\"\"x\"\")\",active,all,weekly,UTC,"), lines[1]);
        String active = session().queryParam("status", "ACTIVE").get("/admin/subscribers/export.csv").then().statusCode(200)
                .header("Content-Disposition", equalTo("attachment; filename=\"subscribers-active.csv\"")).extract().asString();
        assertEquals(2, active.split("\r\n").length);
        assertTrue(active.contains("ana@example.org") && !active.contains("ben@example.org"), active);
        given().redirects().follow(false).get("/admin/subscribers/export.csv").then().statusCode(302);

        session().get("/admin/subscribers/" + id + "/export.json").then().statusCode(200)
                .contentType(containsString("application/json"))
                .header("Content-Disposition", equalTo("attachment; filename=\"subscriber-" + id + ".json\""))
                .body("email", equalTo("ana@example.org")).body("consent.source", equalTo("FORM"))
                .body("history[0].type", equalTo("CONFIRMED"));
    }

    @Test
    void theUploadIsCheckedAndProtected() {
        session().multiPart("csrf-token", editor.csrf()).multiPart("dryRun", "true").post("/admin/subscribers/imports").then()
                .statusCode(400).body(containsString("<p class=\"field-error\" id=\"file-error\">choose a CSV file</p>"))
                .body(containsString("id=\"dryRun\" name=\"dryRun\" value=\"true\" checked"));
        session().multiPart("csrf-token", editor.csrf()).multiPart("file", "empty.csv", new byte[0], "text/csv")
                .post("/admin/subscribers/imports").then().statusCode(400)
                .body(containsString("<p class=\"field-error\" id=\"file-error\">The file is empty.</p>"));
        session().multiPart("file", "list.csv", "email\nx@example.org\n".getBytes(), "text/csv")
                .post("/admin/subscribers/imports").then().statusCode(403);
        assertEquals(0L, QuarkusTransaction.requiringNew().call(() -> SubscriberImport.count()));

        String location = session().multiPart("csrf-token", editor.csrf())
                .multiPart("file", "list.csv", "email\nx@example.org\n".getBytes(), "text/csv")
                .post("/admin/subscribers/imports").then().statusCode(303).extract().header("Location");
        assertTrue(location.matches(".*/admin/subscribers/imports/\\d+"), location);
        session().get(location + "/progress").then().statusCode(200).body(containsString("id=\"import-bar\""))
                .body(not(containsString("<html")));
        session().accept(ContentType.HTML).get("/admin/subscribers/imports/99999").then().statusCode(404);

        // Larger than the 2 MB other forms may send: it reaches the import service, whose own cap (2 MB in tests) answers.
        byte[] big = ("email\n" + "x@example.org\n".repeat(160_000)).getBytes();
        assertTrue(big.length > 2 * 1024 * 1024);
        session().multiPart("csrf-token", editor.csrf()).multiPart("file", "big.csv", big, "text/csv")
                .post("/admin/subscribers/imports").then().statusCode(413)
                .body(containsString("<p class=\"field-error\" id=\"file-error\">The file is larger than 2 MB"));
    }

    @Test
    void aFailedImportSaysWhy() throws InterruptedException {
        String location = session().multiPart("csrf-token", editor.csrf())
                .multiPart("file", "names.csv", "name,topics\nAda,climate\n".getBytes(), "text/csv")
                .post("/admin/subscribers/imports").then().statusCode(303).extract().header("Location");
        String fragment = "";
        for (int i = 0; i < 100 && !fragment.contains("FAILED"); i++) {
            Thread.sleep(50);
            fragment = session().get(location + "/progress").then().statusCode(200).extract().asString();
        }
        assertTrue(fragment.contains("<span class=\"status FAILED\" id=\"import-status\">FAILED</span>"), fragment);
        assertTrue(fragment.contains("<p class=\"notice bad\" role=\"alert\">The first row must name the columns, one of them"
                + " &quot;email&quot;; found: name, topics. Nothing was imported.</p>"), fragment);
        assertTrue(!fragment.contains("hx-trigger"), "polling stops");
    }
}
