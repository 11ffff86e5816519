package dev.gazette.lifecycle;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.mail.Multipart;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gazette.common.SignedTokens;
import dev.gazette.digest.Cadence;
import dev.gazette.digest.NewsletterInput;
import dev.gazette.digest.NewsletterService;
import dev.gazette.lifecycle.mail.LifecycleMailJob;
import dev.gazette.lifecycle.reengage.ReengagementStats;
import dev.gazette.lifecycle.reengage.SunsetJob;
import dev.gazette.subscriber.Subscriber;
import dev.gazette.subscriber.SubscriberEvent;
import dev.gazette.subscriber.SubscriberStatus;
import dev.gazette.subscriber.Suppression;
import dev.gazette.subscriber.SuppressionReason;
import dev.gazette.subscriber.SuppressionService;
import dev.gazette.testing.EditorSession;
import dev.gazette.testing.Fixtures;
import dev.gazette.testing.GazetteTest;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/**
 * Re-engagement and sunsetting (fixed clock, real SMTP server, real database and HTTP): a reader inactive for the
 * policy's days gets one "still want this?" mail with the keep link and the list headers; one who answers "keep" stays
 * and is not asked again until inactive again; one who does not answer is unsubscribed on day N as inactive, suppressed,
 * with the reader's history and the webhook events; a GET of the keep page changes nothing; forged links get a friendly
 * page; the editor sees how many readers the policy would mail and is refused bad days and templates by field.
 */
@QuarkusTest
class ReengagementTest extends GazetteTest {

    private static final Pattern KEEP = Pattern.compile("http://localhost:8080(/keep/[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+)");
    private static final String BODY = "Hello{#if name} {name}{/if}, still reading {site}?\n\n[Keep me subscribed]({keepUrl})\n\n"
            + "Or leave: {unsubscribeUrl}";

    @Inject
    LifecycleMailJob job;

    @Inject
    SunsetJob sunset;

    @Inject
    ReengagementStats stats;

    @Inject
    SuppressionService suppressions;

    @Inject
    SignedTokens tokens;

    @Inject
    NewsletterService newsletters;

    @BeforeEach
    void editorAccount() {
        fixtures.editorToken();
    }

    /** A fresh sign-in: the tests move the clock by months, past any session's lifetime. */
    private static EditorSession editor() {
        return EditorSession.signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD, "/admin/reengagement");
    }

    private ValidatableResponse post(String action, Map<String, String> fields) {
        Map<String, String> form = new HashMap<>(Map.of("action", action, "enabled", "on", "inactiveDays", "180",
                "graceDays", "14", "subject", "Still want {site}?", "body", BODY));
        form.putAll(fields);
        return editor().form().formParams(form).post("/admin/reengagement").then();
    }

    private static Object sql(String query, Object... params) {
        return QuarkusTransaction.requiringNew().call(() -> {
            var q = Panache.getEntityManager().createNativeQuery(query);
            for (int i = 0; i < params.length; i++) {
                q.setParameter(i + 1, params[i]);
            }
            List<?> rows = q.getResultList();
            return rows.isEmpty() ? null : rows.get(0);
        });
    }

    private static void update(String statement, Object... params) {
        QuarkusTransaction.requiringNew().run(() -> {
            var q = Panache.getEntityManager().createNativeQuery(statement);
            for (int i = 0; i < params.length; i++) {
                q.setParameter(i + 1, params[i]);
            }
            q.executeUpdate();
        });
    }

    private static Subscriber reader(String email) {
        return QuarkusTransaction.requiringNew().call(() -> Subscriber.<Subscriber>find("email", email).firstResult());
    }

    private List<MimeMessage> mailTo(String email) throws Exception {
        List<MimeMessage> found = new java.util.ArrayList<>();
        for (MimeMessage m : greenMail.getReceivedMessages()) {
            if (((InternetAddress) m.getRecipients(MimeMessage.RecipientType.TO)[0]).getAddress().equals(email)) {
                found.add(m);
            }
        }
        return found;
    }

    private static String text(MimeMessage m) throws Exception {
        return ((Multipart) m.getContent()).getBodyPart(0).getContent().toString();
    }

    private static String keepPath(MimeMessage m) throws Exception {
        Matcher keep = KEEP.matcher(text(m));
        assertTrue(keep.find(), text(m));
        return keep.group(1);
    }

    private static List<String> webhookEvents(long readerId) {
        return QuarkusTransaction.requiringNew().call(() -> Panache.getEntityManager().createNativeQuery(
                "select type || ' ' || coalesce(data->>'how', data->>'reason', '') from event"
                        + " where (data->'subscriber'->>'id')::bigint = ?1 order by id").setParameter(1, readerId)
                .getResultList().stream().map(String::valueOf).toList());
    }

    @Test
    void anInactiveReaderIsAskedOnceAndUnsubscribedOnDayNWithoutAnAnswer() throws Exception {
        fixtures.activeSubscriber("gone-quiet@example.org");
        Subscriber clicker = fixtures.activeSubscriber("clicker@example.org");
        clock.advance(Duration.ofDays(181));
        fixtures.activeSubscriber("new@example.org");
        update("update subscriber set last_active_at = ?1 where id = ?2", clock.instant().minus(Duration.ofDays(3)), clicker.id);
        post("save", Map.of()).statusCode(303);

        assertEquals(1, job.plan(), "only the reader inactive for 180 days");
        job.sendDue();
        assertEquals(0, job.plan(), "asked once");
        job.sendDue();
        assertEquals(1, greenMail.getReceivedMessages().length);
        MimeMessage m = mailTo("gone-quiet@example.org").get(0);
        assertEquals("Still want Gazette?", m.getSubject());
        assertTrue(m.getHeader("List-Unsubscribe")[0].startsWith("<http://localhost:8080/u/"), m.getHeader("List-Unsubscribe")[0]);
        assertEquals("List-Unsubscribe=One-Click", m.getHeader("List-Unsubscribe-Post")[0]);
        assertTrue(m.getHeader("List-Id")[0].contains("<reengage.localhost>"), m.getHeader("List-Id")[0]);
        assertTrue(text(m).contains("still reading Gazette?"), text(m));
        keepPath(m);

        Subscriber quiet = reader("gone-quiet@example.org");
        clock.advance(Duration.ofDays(13).plusHours(23));
        assertEquals(0, sunset.run(), "day N-1: still waiting");
        assertEquals(SubscriberStatus.ACTIVE, reader("gone-quiet@example.org").status);
        editor().page().get("/admin/reengagement").then().statusCode(200)
                .body(containsString("id=\"n-mailed\">1<")).body(containsString("id=\"n-waiting\">1<"));

        clock.advance(Duration.ofHours(1));
        assertEquals(1, sunset.run(), "day N");
        assertEquals(0, sunset.run(), "once");
        assertEquals(SubscriberStatus.UNSUBSCRIBED, reader("gone-quiet@example.org").status);
        assertEquals(SuppressionReason.INACTIVE, QuarkusTransaction.requiringNew().call(() ->
                suppressions.find("gone-quiet@example.org").map((Suppression s) -> s.reason).orElse(null)));
        String history = QuarkusTransaction.requiringNew().call(() -> SubscriberEvent.history(quiet.id).stream()
                .map(e -> e.type + ":" + e.detail).toList()).toString();
        assertTrue(history.contains("UNSUBSCRIBED:inactive: no answer to the re-engagement mail of 2026-08-30"), history);
        assertEquals(List.of("subscriber.unsubscribed inactive", "subscriber.suppressed inactive"), webhookEvents(quiet.id));
        assertEquals(SubscriberStatus.ACTIVE, reader("clicker@example.org").status);
        assertEquals(SubscriberStatus.ACTIVE, reader("new@example.org").status);

        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("gazette_reengagement_total{outcome=\"mailed\"}"))
                .body(containsString("gazette_reengagement_total{outcome=\"unsubscribed\"}"));
        ReengagementStats.Summary numbers = stats.summary();
        assertEquals(new ReengagementStats.Summary(1, 0, 1, 0, 0), numbers);
        assertEquals(0, job.plan(), "an unsubscribed reader is not asked again");
        given().get(keepPath(m)).then().statusCode(410).body(containsString("You are no longer subscribed"));

        given().contentType("application/json").body("{\"email\":\"gone-quiet@example.org\"}").post("/subscribe")
                .then().statusCode(202);
        assertEquals(SubscriberStatus.PENDING, reader("gone-quiet@example.org").status,
                "unlike a bounce, an inactive reader may subscribe again");
    }

    @Test
    void readersAddedOrConfirmedLatelyPausedOrFromBeforeMeasuringAreNotTreatedAsInactive() throws Exception {
        fixtures.activeSubscriber("old@example.org");
        Subscriber pausing = fixtures.activeSubscriber("pausing@example.org");
        clock.advance(Duration.ofDays(200));
        // an imported list keeps its old consent dates, and a reader who clicked long ago confirmed again today
        Subscriber imported = fixtures.activeSubscriber("imported@example.org");
        update("update subscriber set confirmed_at = ?1 where id = ?2", clock.instant().minus(Duration.ofDays(900)), imported.id);
        Subscriber back = fixtures.activeSubscriber("back@example.org");
        update("update subscriber set last_active_at = ?1, created_at = ?1 where id = ?2",
                clock.instant().minus(Duration.ofDays(400)), back.id);

        // activity measured only since 30 days ago (an upgrade): nobody is inactive yet
        update("insert into lifecycle_settings (id, send_time, track_links, updated_at, activity_since) values (1, '09:00', true, ?1, ?1)",
                clock.instant().minus(Duration.ofDays(30)));
        post("save", Map.of()).statusCode(303);
        assertEquals(0, job.plan(), "not before Gazette watched for 180 days");
        update("update lifecycle_settings set activity_since = null");

        assertEquals(2, job.plan(), "old@ and pausing@ only: imported@ was added and back@ confirmed lately");
        job.sendDue();
        assertEquals(1, mailTo("old@example.org").size());
        assertEquals(1, mailTo("pausing@example.org").size());

        // pausing shows the reader wants the mail, later: the grace days start again when the pause ends
        clock.advance(Duration.ofDays(2));
        update("update subscriber set paused_until = ?1 where id = ?2", clock.instant().plus(Duration.ofDays(30)), pausing.id);
        clock.advance(Duration.ofDays(35));
        assertEquals(1, sunset.run(), "old@ only");
        assertEquals(SubscriberStatus.UNSUBSCRIBED, reader("old@example.org").status);
        assertEquals(SubscriberStatus.ACTIVE, reader("pausing@example.org").status, "5 days after the pause ended");
        clock.advance(Duration.ofDays(12));
        assertEquals(1, sunset.run(), "the grace days over, counted from the end of the pause");
        assertEquals(SubscriberStatus.UNSUBSCRIBED, reader("pausing@example.org").status);
        assertEquals(SubscriberStatus.ACTIVE, reader("imported@example.org").status);
        assertEquals(SubscriberStatus.ACTIVE, reader("back@example.org").status);
        assertNull(sql("select id from lifecycle_mail where subscriber_id in (?1, ?2)", imported.id, back.id));
    }

    @Test
    void aReaderWhoKeepsStaysAndIsAskedAgainOnlyWhenInactiveAgain() throws Exception {
        Subscriber ana = fixtures.activeSubscriber("ana@example.org");
        clock.advance(Duration.ofDays(200));
        post("save", Map.of()).statusCode(303);
        job.plan();
        job.sendDue();
        String keep = keepPath(mailTo("ana@example.org").get(0));

        clock.advance(Duration.ofDays(2));
        given().get(keep).then().statusCode(200).body(containsString("Keep me subscribed"))
                .body(containsString("action=\"" + keep + "\""));
        assertNull(sql("select last_active_at from subscriber where id = ?1", ana.id), "a GET changes nothing");
        assertNull(sql("select outcome from lifecycle_mail where subscriber_id = ?1", ana.id));

        given().contentType("application/x-www-form-urlencoded").post(keep).then().statusCode(200)
                .body(containsString("Thank you")).body(containsString("You stay subscribed to Gazette"));
        Instant answered = clock.instant();
        given().contentType("application/x-www-form-urlencoded").post(keep).then().statusCode(200);
        assertEquals("KEPT", sql("select outcome from lifecycle_mail where subscriber_id = ?1", ana.id));
        assertEquals(1L, QuarkusTransaction.requiringNew().call(() -> SubscriberEvent.history(ana.id).stream()
                .filter(e -> e.type.equals("KEPT")).count()), "answering twice is recorded once");

        clock.advance(Duration.ofDays(30));
        assertEquals(0, sunset.run());
        assertEquals(SubscriberStatus.ACTIVE, reader("ana@example.org").status);
        assertEquals(0, job.plan(), "not asked again while active");
        assertEquals(new ReengagementStats.Summary(1, 1, 0, 0, 0), stats.summary());

        clock.set(answered.plus(Duration.ofDays(180)).plusSeconds(1));
        assertEquals(1, job.plan(), "inactive again 180 days after the answer");
        assertEquals(2, ((Number) sql("select max(occasion) from lifecycle_mail where subscriber_id = ?1", ana.id)).intValue());
        job.sendDue();
        assertEquals(2, mailTo("ana@example.org").size());
    }

    @Test
    void aClickAfterTheMailKeepsTheReaderAndSwitchingOffStopsEverything() throws Exception {
        Subscriber clicks = fixtures.activeSubscriber("clicks@example.org");
        fixtures.activeSubscriber("waits@example.org");
        fixtures.activeSubscriber("late@example.org");
        clock.advance(Duration.ofDays(181));
        post("save", Map.of()).statusCode(303);
        assertEquals(3, job.plan());
        job.sendDue();
        clock.advance(Duration.ofDays(1));
        update("update subscriber set last_active_at = ?1 where id = ?2", clock.instant(), clicks.id);
        clock.advance(Duration.ofDays(14));
        update("update subscriber set status = 'UNSUBSCRIBED' where email = 'late@example.org'");
        assertEquals(1, sunset.run(), "only the reader who neither clicked nor left");
        assertEquals(SubscriberStatus.ACTIVE, reader("clicks@example.org").status);
        assertEquals(SubscriberStatus.UNSUBSCRIBED, reader("waits@example.org").status);
        assertEquals(new ReengagementStats.Summary(3, 0, 1, 0, 1), stats.summary());

        Subscriber quiet = fixtures.activeSubscriber("quiet@example.org");
        clock.advance(Duration.ofDays(181));
        assertEquals(2, job.plan(), "the quiet reader, and the clicker inactive again");
        post("save", Map.of("enabled", "")).statusCode(303);
        job.sendDue();
        assertEquals(0, mailTo("quiet@example.org").size(), "switched off: unsent rounds are skipped");
        assertEquals(0, job.plan());
        clock.advance(Duration.ofDays(30));
        assertEquals(0, sunset.run());
        assertEquals(SubscriberStatus.ACTIVE, reader("quiet@example.org").status);
        assertNotNull(quiet.id);
    }

    @Test
    void aForgedExpiredOrUnknownKeepLinkGetsAFriendlyPage() {
        Subscriber ana = fixtures.activeSubscriber("ana@example.org");
        given().get("/keep/not-a-token").then().statusCode(400).body(containsString("This link is not valid"))
                .body(not(containsString("Exception")));
        given().contentType("application/x-www-form-urlencoded").post("/keep/bm90.YXRva2Vu").then().statusCode(400)
                .body(containsString("This link is not valid"));
        String unsubscribeToken = tokens.sign("unsub", ana.id, 0, clock.instant().plus(Duration.ofDays(1)));
        given().contentType("application/x-www-form-urlencoded").post("/keep/" + unsubscribeToken).then().statusCode(400);
        String unknown = tokens.sign("keep", 987654, 1, clock.instant().plus(Duration.ofDays(1)));
        given().contentType("application/x-www-form-urlencoded").post("/keep/" + unknown).then().statusCode(404)
                .body(containsString("Subscription not found"));
        String old = tokens.sign("keep", ana.id, 1, clock.instant().plus(Duration.ofDays(1)));
        clock.advance(Duration.ofDays(2));
        given().contentType("application/x-www-form-urlencoded").post("/keep/" + old).then().statusCode(410)
                .body(containsString("This link has expired"));
        assertNull(sql("select last_active_at from subscriber where id = ?1", ana.id));
    }

    @Test
    void theEditorSeesWhomThePolicyWouldTouchAndIsRefusedBadDaysAndTemplates() {
        fixtures.activeSubscriber("a@example.org");
        fixtures.activeSubscriber("b@example.org");
        clock.advance(Duration.ofDays(100));
        fixtures.activeSubscriber("c@example.org");
        fixtures.activeSubscriber("paused@example.org");
        clock.advance(Duration.ofDays(90));
        Subscriber active = fixtures.activeSubscriber("d@example.org");
        update("update subscriber set paused_until = ?1 where email = 'paused@example.org'", clock.instant().plus(Duration.ofDays(7)));
        update("update subscriber set last_active_at = ?1 where id = ?2", clock.instant(), active.id);

        editor().page().get("/admin/reengagement").then().statusCode(200)
                .body(containsString("2 readers would get the message if you switched this on now."))
                .body(containsString("Still want {site}?")).body(not(containsString("id=\"tracking-warning\"")));
        newsletters.create(new NewsletterInput("Daily", "daily", "The world, briefly.", List.of(), Cadence.DAILY, null, "07:00",
                "Gazette", "news@news.example.org", null, null, null, null, null, null, null));
        editor().page().get("/admin/reengagement").then().statusCode(200)
                .body(containsString("1 active newsletter does not track digest links"));
        post("preview", Map.of("enabled", "", "inactiveDays", "60")).statusCode(200)
                .body(containsString("3 readers would get the message if you switched this on now."))
                .body(containsString("<strong id=\"reengage-subject\">Still want Gazette?</strong>"))
                .body(containsString("[Keep me subscribed](http://localhost:8080/keep/"));

        post("save", Map.of("inactiveDays", "29")).statusCode(400)
                .body(containsString("id=\"inactiveDays-error\">must be a whole number of days from 30 to 1000"));
        post("save", Map.of("inactiveDays", "many", "graceDays", "91")).statusCode(400)
                .body(containsString("id=\"inactiveDays-error\""))
                .body(containsString("id=\"graceDays-error\">must be a whole number of days from 1 to 90"));
        post("save", Map.of("body", "Keep: {keepUrll}")).statusCode(400).body(containsString("id=\"body-error\">may not use {keepUrll}"));
        post("save", Map.of("subject", "Still {#if name}")).statusCode(400).body(containsString("id=\"subject-error\""));
        assertEquals(0, job.plan(), "nothing was saved");

        post("test", Map.of("testTo", "desk@example.org")).statusCode(200).body(containsString("A test was sent to desk@example.org."));
        assertEquals(1, greenMail.getReceivedMessages().length);
    }
}
