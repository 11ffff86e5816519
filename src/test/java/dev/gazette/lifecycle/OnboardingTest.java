package dev.gazette.lifecycle;

import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
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

import dev.gazette.lifecycle.mail.LifecycleMailJob;
import dev.gazette.subscriber.ConsentSource;
import dev.gazette.subscriber.Frequency;
import dev.gazette.subscriber.Subscriber;
import dev.gazette.subscriber.SubscriberStatus;
import dev.gazette.testing.EditorSession;
import dev.gazette.testing.Fixtures;
import dev.gazette.testing.GazetteTest;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/**
 * The onboarding sequence (fixed clock, real SMTP server, the editor's forms over HTTP): each step reaches a reader on
 * the right day at the send time in the reader's own zone, once; the last may end with the latest articles of the
 * reader's topics, tracked per step; readers who unsubscribe or pause get nothing more; an edit applies to readers who
 * have not reached the step, and a step added after a reader passed its day is not sent to them; progress per step.
 */
@QuarkusTest
class OnboardingTest extends GazetteTest {

    @Inject
    LifecycleMailJob job;

    private EditorSession editor;
    private String token;

    @BeforeEach
    void editor() {
        token = fixtures.editorToken();
        fixtures.topic("World", "world");
        fixtures.topic("Science", "science");
        editor = EditorSession.signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD, "/admin/onboarding");
    }

    private ValidatableResponse step(String path, Map<String, String> fields) {
        Map<String, String> form = new HashMap<>(Map.of("action", "save", "enabled", "on", "delayDays", "3",
                "subject", "Choosing topics, {site}", "body", "Hello{#if name} {name}{/if}, you follow {topics}.",
                "latestArticles", "0"));
        form.putAll(fields);
        return editor.form().formParams(form).post(path).then();
    }

    private long newStep(Map<String, String> fields) {
        step("/admin/onboarding/steps", fields).statusCode(303);
        return QuarkusTransaction.requiringNew().call(() -> ((Number) io.quarkus.hibernate.orm.panache.Panache.getEntityManager()
                .createNativeQuery("select max(id) from lifecycle_message where kind = 'STEP'").getSingleResult()).longValue());
    }

    private void change(String email, java.util.function.Consumer<Subscriber> change) {
        QuarkusTransaction.requiringNew().run(() -> change.accept(Subscriber.<Subscriber>find("email", email).firstResult()));
    }

    private void at(String instant) {
        clock.set(Instant.parse(instant));
    }

    /** Plans and sends what is due now; returns the subjects received since the last call, as "to: subject". */
    private final List<String> seen = new ArrayList<>();

    private List<String> run() throws Exception {
        job.plan();
        job.sendDue();
        // the server lists messages per mailbox, not in order: what is new is what was not seen before
        List<String> now = new ArrayList<>();
        for (MimeMessage m : greenMail.getReceivedMessages()) {
            now.add(((InternetAddress) m.getRecipients(MimeMessage.RecipientType.TO)[0]).getAddress() + ": " + m.getSubject());
        }
        for (String old : seen) {
            now.remove(old);
        }
        seen.addAll(now);
        return now;
    }

    private MimeMessage received(String to, String subject) throws Exception {
        for (MimeMessage m : greenMail.getReceivedMessages()) {
            if (subject.equals(m.getSubject()) && to.equals(m.getRecipients(MimeMessage.RecipientType.TO)[0].toString())) {
                return m;
            }
        }
        throw new AssertionError("no message " + subject);
    }

    private void signIn() {
        editor = EditorSession.signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD, "/admin/onboarding");
    }

    private static String text(MimeMessage m) throws Exception {
        return ((Multipart) m.getContent()).getBodyPart(0).getContent().toString();
    }

    @Test
    void stepsReachEachReaderOnTheirDayAtTheirLocalSendTimeOnce() throws Exception {
        editor.form().formParams(Map.of("sendTime", "09:00", "trackLinks", "on")).post("/admin/onboarding/settings").then()
                .statusCode(303);
        at("2026-03-01T12:00:00Z");
        newStep(Map.of());
        long lastStep = newStep(Map.of("delayDays", "7", "subject", "Best of the week", "body", "Here is what is new.",
                "latestArticles", "2"));

        // Berlin is UTC+1 in March; New York is UTC-5 until 8 March, UTC-4 after; "+05:00" is an offset zone
        at("2026-03-02T10:00:00Z");
        fixtures.reader("ana@example.org", "Europe/Berlin", Frequency.DAILY, "science");
        change("ana@example.org", s -> s.name = "Ana");
        fixtures.reader("bob@example.org", "America/New_York", Frequency.DAILY, "world");
        fixtures.reader("kim@example.org", "+05:00", Frequency.DAILY);
        fixtures.reader("cy@example.org", "UTC", Frequency.DAILY);
        fixtures.reader("imported@example.org", "UTC", Frequency.DAILY);
        change("imported@example.org", s -> s.consentSource = ConsentSource.IMPORT);
        assertEquals(List.of(), run());

        at("2026-03-05T03:59:00Z");
        assertEquals(List.of(), run(), "not before 09:00 at +05:00");
        at("2026-03-05T04:00:00Z");
        assertEquals(List.of("kim@example.org: Choosing topics, Gazette"), run());
        at("2026-03-05T07:59:00Z");
        assertEquals(List.of(), run(), "not before 09:00 in Berlin");
        at("2026-03-05T08:00:00Z");
        assertEquals(List.of("ana@example.org: Choosing topics, Gazette"), run());
        assertEquals(List.of(), run(), "once");
        at("2026-03-05T09:00:00Z");
        assertEquals(List.of("cy@example.org: Choosing topics, Gazette"), run());
        at("2026-03-05T13:59:00Z");
        assertEquals(List.of(), run(), "not before 09:00 in New York");
        at("2026-03-05T14:00:00Z");
        assertEquals(List.of("bob@example.org: Choosing topics, Gazette"), run());

        MimeMessage first = received("ana@example.org", "Choosing topics, Gazette");
        assertTrue(text(first).contains("Hello Ana, you follow Science."), text(first));
        assertTrue(first.getHeader("List-Id")[0].endsWith("<step.localhost>"), first.getHeader("List-Id")[0]);
        assertTrue(first.getHeader("List-Unsubscribe")[0].startsWith("<http://localhost:8080/u/"));
        assertTrue(first.getHeader("Message-ID")[0].startsWith("<step-"), first.getHeader("Message-ID")[0]);

        fixtures.published("Glaciers retreat", "Ice.", "science");
        fixtures.published("Elections held", "Votes.", "world");
        fixtures.published("Comet sighted", "Tail.", "science");
        fixtures.published("Old science news", "Old.", "science");
        change("cy@example.org", s -> s.status = SubscriberStatus.UNSUBSCRIBED);
        change("kim@example.org", s -> s.pausedUntil = Instant.parse("2026-04-01T00:00:00Z"));

        at("2026-03-09T08:00:00Z");
        assertEquals(List.of("ana@example.org: Best of the week"), run(), "cy left, kim paused: nothing more for them");
        at("2026-03-09T12:59:00Z");
        assertEquals(List.of(), run());
        at("2026-03-09T13:00:00Z");
        assertEquals(List.of("bob@example.org: Best of the week"), run(), "09:00 in New York, now on summer time");

        String last = text(received("ana@example.org", "Best of the week"));
        assertTrue(last.contains("Here is what is new."), last);
        assertTrue(last.contains("Latest articles"), last);
        assertTrue(last.contains("Old science news") && last.contains("Comet sighted"), last);
        assertFalse(last.contains("Glaciers retreat"), "two articles, the latest: " + last);
        assertFalse(last.contains("Elections held"), "not ana's topic: " + last);
        Matcher link = Pattern.compile("http://localhost:8080/r/([A-Za-z0-9]+)").matcher(last);
        assertTrue(link.find(), "article links are tracked: " + last);
        assertTrue(last.contains(link.group() + "?rt="), "and carry the reader's click token: " + last);
        String code = link.group(1);
        long context = QuarkusTransaction.requiringNew().call(() -> ((Number) io.quarkus.hibernate.orm.panache.Panache
                .getEntityManager().createNativeQuery("select context_id from tracked_link where code = :c and context_type = 'LIFECYCLE_MESSAGE'")
                .setParameter("c", code).getSingleResult()).longValue());
        assertEquals(lastStep, context, "tracked for the step");

        signIn();
        editor.page().get("/admin/onboarding").then().statusCode(200)
                .body(containsString("Choosing topics, {site}</a>"))
                .body(containsString("<td class=\"num\">4</td><td class=\"num\">4</td>"));
        editor.page().get("/admin/stats").then().statusCode(200)
                .body(containsString("Day 3: Choosing topics, {site}</a></th><td class=\"num\">4</td><td class=\"num\">4</td>"))
                .body(containsString("Day 7: Best of the week</a></th><td class=\"num\">3</td><td class=\"num\">2</td>"));
        io.restassured.RestAssured.given().auth().oauth2(token).when().get("/api/v1/stats/lifecycle").then().statusCode(200)
                .body("steps[0].day", org.hamcrest.Matchers.equalTo(3)).body("steps[0].sent", org.hamcrest.Matchers.equalTo(4))
                .body("steps[1].reached", org.hamcrest.Matchers.equalTo(3)).body("steps[1].skipped", org.hamcrest.Matchers.equalTo(1))
                .body("welcome.sent", org.hamcrest.Matchers.equalTo(0));
    }

    @Test
    void editsReachReadersWhoHaveNotReachedTheStepAndPausedReadersGetNothing() throws Exception {
        at("2026-03-02T10:00:00Z");
        fixtures.reader("early@example.org", "UTC", Frequency.DAILY);
        at("2026-03-06T10:00:00Z");
        fixtures.reader("late@example.org", "UTC", Frequency.DAILY);
        fixtures.reader("paused@example.org", "UTC", Frequency.DAILY);
        change("paused@example.org", s -> s.pausedUntil = Instant.parse("2026-04-01T00:00:00Z"));

        // added on 7 March: early@ passed day 3 (5 March) before the step existed, late@ reaches it on 9 March
        at("2026-03-07T10:00:00Z");
        signIn();
        long id = newStep(Map.of("subject", "First draft"));
        assertEquals(List.of(), run());
        step("/admin/onboarding/steps/" + id, Map.of("subject", "Second thoughts")).statusCode(303);

        at("2026-03-09T09:00:00Z");
        assertEquals(List.of("late@example.org: Second thoughts"), run(), "the edit applies; paused@ is skipped");
        at("2026-03-12T09:00:00Z");
        assertEquals(List.of(), run());
        long skipped = QuarkusTransaction.requiringNew().call(() -> ((Number) io.quarkus.hibernate.orm.panache.Panache
                .getEntityManager().createNativeQuery("select count(*) from lifecycle_mail where status = 'SKIPPED'")
                .getSingleResult()).longValue());
        assertEquals(1, skipped, "the paused reader's row");
    }

    @Test
    void badValuesAreRefusedNamingTheFieldAndPreviewAndTestWork() throws Exception {
        step("/admin/onboarding/steps", Map.of("delayDays", "soon")).statusCode(400)
                .body(containsString("id=\"delayDays-error\">must be a whole number from 0 to 365"));
        step("/admin/onboarding/steps", Map.of("latestArticles", "99")).statusCode(400)
                .body(containsString("id=\"latestArticles-error\">must be a whole number from 0 to 20"));
        step("/admin/onboarding/steps", Map.of("subject", "Hi {nme}")).statusCode(400)
                .body(containsString("id=\"subject-error\">may not use {nme}"));
        editor.form().formParams(Map.of("sendTime", "nine")).post("/admin/onboarding/settings").then().statusCode(400)
                .body(containsString("id=\"sendTime-error\">must be a time of day"));

        fixtures.published("Comet sighted", "Tail.", "science");
        step("/admin/onboarding/steps", Map.of("action", "preview", "latestArticles", "3")).statusCode(200)
                .body(containsString("<strong id=\"step-subject\">Choosing topics, Gazette</strong>"))
                .body(containsString("Hello Ana, you follow every topic."))
                .body(containsString("Comet sighted"));
        step("/admin/onboarding/steps", Map.of("action", "test", "testTo", "desk@example.org")).statusCode(200)
                .body(containsString("A test was sent to desk@example.org."));
        assertEquals(1, greenMail.getReceivedMessages().length);
        assertEquals("[Test] Choosing topics, Gazette", greenMail.getReceivedMessages()[0].getSubject());
        assertEquals(0L, QuarkusTransaction.requiringNew().call(() -> ((Number) io.quarkus.hibernate.orm.panache.Panache
                .getEntityManager().createNativeQuery("select count(*) from lifecycle_message").getSingleResult()).longValue()),
                "nothing saved");
        editor.page().get("/admin/onboarding/steps/999999").then().statusCode(404);
    }
}
