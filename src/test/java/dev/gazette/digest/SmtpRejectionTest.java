package dev.gazette.digest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import jakarta.inject.Inject;

import io.restassured.http.ContentType;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gazette.subscriber.Frequency;
import dev.gazette.subscriber.Subscriber;
import dev.gazette.subscriber.SubscriberStatus;
import dev.gazette.subscriber.SuppressionService;
import dev.gazette.testing.RejectingSmtpProfile;
import dev.gazette.testing.RejectingSmtpResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(RejectingSmtpProfile.class)
class SmtpRejectionTest extends DigestTestBase {

    @Inject
    SuppressionService suppressions;

    @BeforeEach
    void news() {
        RejectingSmtpResource.reset();
        worldNews();
    }

    @Test
    void shouldRetryTemporaryFailuresAndSuppressRejectedMailboxes() throws Exception {
        Subscriber soft = fixtures.reader("soft@example.org", "UTC", Frequency.DAILY, "world");
        Subscriber hard = fixtures.reader("hard@example.org", "UTC", Frequency.DAILY, "world");
        Subscriber policy = fixtures.reader("policy@example.org", "UTC", Frequency.DAILY, "world");
        Subscriber fine = fixtures.reader("fine@example.org", "UTC", Frequency.DAILY, "world");
        long issueId = issues.sendManual(daily("world").id, null, null, "tests").issue().id;

        sender.sendDue();
        assertEquals(List.of("fine@example.org"), RejectingSmtpResource.ACCEPTED);
        Row retry = delivery(soft.id);
        assertEquals("RETRY", retry.status());
        assertTrue(retry.lastError().startsWith("451"), retry.lastError());
        Row bounced = delivery(hard.id);
        assertEquals("FAILED", bounced.status());
        assertTrue(bounced.lastError().contains("5.1.1"), bounced.lastError());
        assertEquals(SubscriberStatus.BOUNCED, status(hard.id));
        assertTrue(suppressions.isSuppressed("hard@example.org"));
        assertEquals("FAILED", delivery(policy.id).status());
        assertEquals(SubscriberStatus.ACTIVE, status(policy.id), "a policy rejection is not the reader's mailbox");
        assertEquals("SENT", delivery(fine.id).status());

        sender.sendDue();
        assertEquals(1, RejectingSmtpResource.ACCEPTED.size(), "no retry before the back-off");
        clock.advance(Duration.ofMinutes(3));
        sender.sendDue();
        assertEquals(List.of("fine@example.org", "soft@example.org"), RejectingSmtpResource.ACCEPTED);
        Row sent = delivery(soft.id);
        assertEquals("SENT", sent.status());
        assertEquals(2, sent.attempts());
        assertNull(sent.lastError());

        planner.planDue();
        DigestIssue ended = issue(issueId);
        assertEquals(IssueStatus.DONE_WITH_FAILURES, ended.status, "two of four readers never got it");
        assertEquals(2, ended.sentCount);
        assertEquals(2, ended.failedCount);
        given().auth().oauth2(fixtures.editorToken()).get("/api/v1/issues/" + issueId)
                .then().statusCode(200).body("status", equalTo("DONE_WITH_FAILURES"))
                .body("sentCount", equalTo(2)).body("failedCount", equalTo(2));
    }

    @Test
    void shouldGiveUpAfterTheLastAttempt() throws Exception {
        Subscriber busy = fixtures.reader("busy@example.org", "UTC", Frequency.DAILY, "world");
        long issueId = issues.sendManual(daily("world").id, null, null, "tests").issue().id;
        for (int i = 0; i < 6; i++) {
            sender.sendDue();
            clock.advance(Duration.ofDays(1));
        }
        Row row = delivery(busy.id);
        assertEquals("FAILED", row.status());
        assertEquals(5, row.attempts());
        assertTrue(row.lastError().startsWith("gave up after 5 attempts"), row.lastError());
        assertEquals(SubscriberStatus.ACTIVE, status(busy.id));

        planner.planDue();
        DigestIssue ended = issue(issueId);
        assertEquals(IssueStatus.FAILED, ended.status, "nobody got it: not DONE");
        assertEquals(0, ended.sentCount);
        assertEquals(1, ended.failedCount);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("gazette_digest_issues{status=\"failed\"} 1.0"));
    }

    @Test
    void shouldWarnAndCountWhenTheRelayHangs() throws Exception {
        List<LogRecord> warnings = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    warnings.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger.getLogger("").addHandler(capture);
        try {
            Subscriber stalled = fixtures.reader("stall@example.org", "UTC", Frequency.DAILY, "world");
            issues.sendManual(daily("world").id, null, null, "tests");
            long started = System.nanoTime();
            sender.sendDue();
            Row row = delivery(stalled.id);
            assertEquals("RETRY", row.status(), "nothing was sent: another attempt later");
            assertTrue(row.lastError().contains("did not finish the exchange within PT2S"), row.lastError());
            assertTrue(System.nanoTime() - started < java.util.concurrent.TimeUnit.SECONDS.toNanos(RejectingSmtpResource.STALL_SECONDS),
                    "the send timeout, not the server, ended the wait");

            // a confirmation a reader waits for: the page answers, and the failure is heard of too
            given().contentType(ContentType.URLENC).formParam("email", "stall.reader@example.org").formParam("topics", "world")
                    .when().post("/subscribe").then().statusCode(200);
        } finally {
            Logger.getLogger("").removeHandler(capture);
        }
        List<String> lines = warnings.stream().map(r -> r instanceof org.jboss.logmanager.ExtLogRecord ext
                ? ext.getFormattedMessage() : String.valueOf(r.getMessage())).toList();
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("Not sent (timeout): digest delivery ")
                && l.contains("did not finish the exchange within PT2S")), String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("Not sent (timeout): confirmation mail to s")), String.join("\n", lines));
        assertTrue(lines.stream().noneMatch(l -> l.contains("stall@example.org") || l.contains("stall.reader@example.org")),
                "addresses are masked in the log");
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("gazette_mail_send_failures_total{kind=\"digest\",reason=\"timeout\"} 1.0"))
                .body(containsString("gazette_mail_send_failures_total{kind=\"confirmation\",reason=\"timeout\"} 1.0"));
    }

    private DigestIssue issue(long id) {
        return QuarkusTransaction.requiringNew().call(() -> (DigestIssue) DigestIssue.findById(id));
    }

    private SubscriberStatus status(long id) {
        return QuarkusTransaction.requiringNew().call(() -> ((Subscriber) Subscriber.findById(id)).status);
    }
}
