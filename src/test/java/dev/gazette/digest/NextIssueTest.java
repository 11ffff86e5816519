package dev.gazette.digest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gazette.article.Article;
import dev.gazette.subscriber.Frequency;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * The next issue, shaped by an editor before it goes out (fixed clock, real SMTP server): a pinned story leads every
 * matching reader's digest, one pinned for all reaches readers of other topics, an excluded one reaches nobody; the
 * editor's note and preheader are in both parts and in the web copy, the subject template in the subject; after the
 * lock nothing can change.
 */
@QuarkusTest
class NextIssueTest extends DigestTestBase {

    private String token;
    private Newsletter newsletter;
    private Article markets;
    private Article cup;
    private Article correction;

    @BeforeEach
    void newsOfTheDay() {
        token = fixtures.editorToken();
        worldNews();
        fixtures.topic("Sport", "sport");
        clock.set(Instant.parse("2026-03-02T08:30:00Z"));
        markets = fixtures.published("Markets rally", "Body.", "world");
        clock.set(Instant.parse("2026-03-02T08:40:00Z"));
        cup = fixtures.published("Cup final tonight", "Body.", "sport");
        clock.set(Instant.parse("2026-03-02T08:50:00Z"));
        correction = fixtures.published("Storm figures were wrong", "Body.", "world");
        clock.set(Instant.parse("2026-03-02T09:00:00Z"));
        newsletter = daily("world", "sport");
        fixtures.reader("ana@example.org", "UTC", Frequency.DAILY, "world");
        fixtures.reader("ben@example.org", "UTC", Frequency.DAILY, "sport");
    }

    private ValidatableResponse put(Map<String, Object> body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body)
                .put("/api/v1/newsletters/" + newsletter.id + "/next-issue").then();
    }

    private static Map<String, Object> edits(long... pinned) {
        return Map.of("subject", "{top} and more in {newsletter}", "preheader", "Storms, markets and a cup final",
                "note", "**Good morning.** A short week: the desk is off on Friday.",
                "pins", List.of(Map.of("articleId", pinned[0], "forAllReaders", true), Map.of("articleId", pinned[1])),
                "excluded", List.of(pinned[2]));
    }

    private static String[] parts(MimeMessage m) throws Exception {
        Multipart parts = (Multipart) m.getContent();
        return new String[] { parts.getBodyPart(0).getContent().toString().replace("\r\n", "\n"),
                parts.getBodyPart(1).getContent().toString().replace("\r\n", "\n") };
    }

    @Test
    void theNextIssueIsShapedAheadAndEveryReaderGetsThatEdition() throws Exception {
        given().auth().oauth2(token).get("/api/v1/newsletters/" + newsletter.id + "/next-issue").then().statusCode(200)
                .body("number", equalTo(1)).body("status", equalTo("PLANNED")).body("issueDate", equalTo("2026-03-03"))
                // 07:00 on 3 March comes first at UTC+14 (17:00 UTC on 2 March); the planner plans 15 minutes ahead
                .body("firstSendAt", equalTo("2026-03-02T17:00:00Z"))
                // and last at UTC-12: 19:00 UTC on 3 March
                .body("lastSendAt", equalTo("2026-03-03T19:00:00Z")).body("locksAt", equalTo("2026-03-02T16:45:00Z"))
                .body("readersDue", equalTo(2)).body("articles.title", hasItem("Cup final tonight"));

        put(edits(cup.id, markets.id, correction.id)).statusCode(200).body("pins[0].title", equalTo("Cup final tonight"))
                .body("pins[0].forAllReaders", equalTo(true)).body("pins[1].forAllReaders", equalTo(false))
                .body("excluded", equalTo(List.of(correction.id.intValue())))
                .body("note", equalTo("**Good morning.** A short week: the desk is off on Friday."));

        // the planner reaches the issue's first send time in the readers' zone: it goes out as edited
        clock.set(Instant.parse("2026-03-03T06:50:00Z"));
        planner.planDue();
        clock.set(Instant.parse("2026-03-03T07:01:00Z"));
        sender.sendDue();
        assertEquals(Map.of("ana@example.org", 1, "ben@example.org", 1), copiesByRecipient());

        MimeMessage ana = messageTo("ana@example.org");
        assertEquals("Cup final tonight and more in World this morning", ana.getSubject());
        String[] anaParts = parts(ana);
        String text = anaParts[0];
        String html = anaParts[1];
        assertTrue(text.contains("**Good morning.** A short week: the desk is off on Friday."), text);
        assertTrue(html.contains("<strong>Good morning.</strong> A short week: the desk is off on Friday."), html);
        assertTrue(html.contains(">Storms, markets and a cup final&#847;"), "the preheader, hidden, first in the body");
        int cupAt = text.indexOf("Cup final tonight");
        int marketsAt = text.indexOf("Markets rally");
        int stormAt = text.indexOf("Storm reaches the coast");
        assertTrue(cupAt >= 0 && cupAt < marketsAt && marketsAt < stormAt, "pinned first, in pin order, then the rest: " + text);
        assertFalse(text.contains("Storm figures were wrong"), "excluded");
        assertFalse(html.contains("Storm figures were wrong"), "excluded");

        String benText = parts(messageTo("ben@example.org"))[0];
        String ben = benText.contains("ALSO READ") ? benText.substring(0, benText.indexOf("ALSO READ")) : benText;
        assertTrue(ben.contains("Cup final tonight"), "pinned for all readers, and his topic anyway");
        assertFalse(ben.contains("Markets rally"), "pinned for the readers of its topic only: " + ben);
        assertFalse(benText.contains("Storm figures were wrong"), "excluded, from \"Also read\" too");

        given().get("/digests/world-morning/1").then().statusCode(200)
                .body(containsString("<aside class=\"editor-note\" aria-label=\"A note from the editors\"><p><strong>Good morning.</strong>"))
                .body(org.hamcrest.Matchers.not(containsString("Storm figures were wrong")));

        // fixed now: every reader of issue 1 got the same edition
        long first = QuarkusTransaction.requiringNew().call(() -> DigestIssue.findByNumber(newsletter.id, 1).orElseThrow().id);
        put(Map.of("issueId", first, "note", "Too late")).statusCode(409).contentType("application/problem+json")
                .body("violations[0].field", equalTo("issue"))
                .body("violations[0].message", containsString("locked at 2026-03-02T16:45:00Z"));
        given().auth().oauth2(token).get("/api/v1/newsletters/" + newsletter.id + "/next-issue").then().statusCode(200)
                .body("number", equalTo(2)).body("issueDate", equalTo("2026-03-04")).body("note", equalTo(null));
    }

    @Test
    void editsAreRefusedAfterTheLockTime() {
        given().auth().oauth2(token).get("/api/v1/newsletters/" + newsletter.id + "/next-issue").then().statusCode(200);
        put(Map.of("note", "In time")).statusCode(200);
        clock.set(Instant.parse("2026-03-02T16:45:00Z"));
        // the planner has not run yet, but the first readers' copies are due to be planned: the issue is fixed
        put(Map.of("note", "Late")).statusCode(409).body("violations[0].message", containsString("locked at 2026-03-02T16:45:00Z"));
        given().auth().oauth2(token).get("/api/v1/newsletters/" + newsletter.id + "/next-issue").then().statusCode(200)
                .body("number", equalTo(1)).body("issueDate", equalTo("2026-03-03")).body("note", equalTo("In time"));
    }

    @Test
    void badEditsAreRefusedNamingTheFieldAndChangeNothing() {
        Article draft = fixtures.draft("Not yet", "Body.", "world");
        put(Map.of("subject", "{top", "note", "Fine.")).statusCode(400).body("violations[0].field", equalTo("subject"))
                .body("violations[0].message", containsString("is not a valid template"));
        put(Map.of("subject", "{config:gazette.secrets.credential-key}")).statusCode(400)
                .body("violations[0].message", containsString("may not use \"config:\""));
        put(Map.of("preheader", "two\nlines")).statusCode(400).body("violations[0].field", equalTo("preheader"));
        put(Map.of("pins", List.of(Map.of("articleId", draft.id)))).statusCode(400).body("violations[0].field", equalTo("pins"))
                .body("violations[0].message", containsString("(Not yet) is not published"));
        put(Map.of("pins", List.of(Map.of("articleId", cup.id)), "excluded", List.of(cup.id))).statusCode(400)
                .body("violations[0].message", equalTo("Cup final tonight is both pinned and excluded: choose one"));
        given().auth().oauth2(token).get("/api/v1/newsletters/" + newsletter.id + "/next-issue").then().statusCode(200)
                .body("note", equalTo(null)).body("subject", equalTo(null)).body("pins.size()", equalTo(0));
    }
}
