package dev.gazette.subscriber;

import static dev.gazette.subscriber.SubscribeFlowTest.subscribe;
import static dev.gazette.subscriber.SubscribeFlowTest.subscriber;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.stream.IntStream;

import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;

import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;

import dev.gazette.testing.GazetteTest;
import dev.gazette.testing.TestClock;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * A confirmation mail that could not be sent is tried again by the retry job with back-off, and given up after
 * {@code gazette.subscribers.confirmation-retries} retries. The job is called directly with the test clock moved.
 */
@QuarkusTest
public class ConfirmationRetryTest extends GazetteTest {

    static final String READER = "retry.reader@example.org";

    @Inject
    ConfirmationRetryJob job;

    @Inject
    SubscribersConfig config;

    @Inject
    MeterRegistry registry;

    @Inject
    PendingPurgeJob purgeJob;

    @Inject
    SubscriberLinks links;

    @Test
    void shouldSendTheConfirmationWhenTheServerIsBack() throws Exception {
        double sentBefore = retries("sent");
        greenMail.stop();
        try {
            Response answer = subscribe(READER, "name", "Ada");
            assertEquals(200, answer.statusCode());
            assertEquals("Check your inbox", Jsoup.parse(answer.asString()).selectFirst("h1").text());
        } finally {
            greenMail.start();
        }
        Subscriber failed = subscriber(READER);
        assertEquals(SubscriberStatus.PENDING, failed.status);
        assertEquals(0, failed.confirmationCount, "a mail that did not leave does not count");
        assertEquals(1, failed.confirmationFailures);
        assertEquals(TestClock.START.plus(Duration.ofMinutes(1)), failed.confirmationRetryAt);
        assertEquals(List.of("SUBSCRIBED", "CONFIRMATION_FAILED"), eventTypes(failed.id));

        assertEquals(0, job.retryDue(), "not before the back-off is over");
        clock.advance(Duration.ofSeconds(59));
        assertEquals(0, job.retryDue());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(1, job.retryDue());

        assertTrue(greenMail.waitForIncomingEmail(5000, 1));
        MimeMessage mail = greenMail.getReceivedMessages()[0];
        assertEquals(READER, mail.getAllRecipients()[0].toString());
        Subscriber sent = subscriber(READER);
        assertEquals(0, sent.confirmationFailures);
        assertNull(sent.confirmationRetryAt);
        assertEquals(1, sent.confirmationCount);
        assertEquals(List.of("SUBSCRIBED", "CONFIRMATION_FAILED", "CONFIRMATION_SENT"), eventTypes(sent.id));
        assertEquals(1.0, retries("sent") - sentBefore);

        Matcher link = SubscribeFlowTest.CONFIRM_LINK.matcher(SubscribeFlowTest.textPart(mail));
        assertTrue(link.find());
        String confirmed = given().when().post(link.group(1)).then().statusCode(200).extract().asString();
        assertEquals("You're subscribed", Jsoup.parse(confirmed).selectFirst("h1").text());
        assertEquals(SubscriberStatus.ACTIVE, subscriber(READER).status);

        clock.advance(Duration.ofHours(2));
        assertEquals(0, job.retryDue(), "nothing left to retry");
        Thread.sleep(300);
        assertEquals(1, greenMail.getReceivedMessages().length);
    }

    @Test
    void shouldGiveUpAfterTheLastRetry() throws Exception {
        int retries = config.confirmationRetries();
        assertEquals(8, retries, "the default");
        double failedBefore = retries("failed");
        double abandonedBefore = retries("abandoned");
        greenMail.stop();
        try {
            subscribe(READER).then().statusCode(200);
            Instant previous = clock.instant();
            for (int retry = 1; retry <= retries; retry++) {
                Subscriber waiting = subscriber(READER);
                assertEquals(retry, waiting.confirmationFailures);
                assertEquals(previous.plus(ConfirmationSender.backoff(retry)), waiting.confirmationRetryAt);
                clock.set(waiting.confirmationRetryAt);
                previous = clock.instant();
                assertEquals(1, job.retryDue(), "retry " + retry);
            }
            Subscriber abandoned = subscriber(READER);
            assertNull(abandoned.confirmationRetryAt);
            assertEquals(retries + 1, abandoned.confirmationFailures);
            assertEquals(0, abandoned.confirmationCount);
            List<String> events = eventTypes(abandoned.id);
            assertEquals(retries + 1, events.stream().filter("CONFIRMATION_FAILED"::equals).count());
            assertEquals("CONFIRMATION_ABANDONED", events.get(events.size() - 1));
            assertEquals(retries - 1, retries("failed") - failedBefore);
            assertEquals(1.0, retries("abandoned") - abandonedBefore);

            clock.advance(Duration.ofDays(1));
            assertEquals(0, job.retryDue(), "no more attempts");
            assertEquals(events, eventTypes(abandoned.id));
        } finally {
            greenMail.start();
        }
        clock.advance(Duration.ofDays(1));
        assertEquals(0, job.retryDue());
        Thread.sleep(300);
        assertEquals(0, greenMail.getReceivedMessages().length);

        subscribe(READER).then().statusCode(200);
        assertTrue(greenMail.waitForIncomingEmail(5000, 1), "asking again still works");
        assertEquals(0, subscriber(READER).confirmationFailures);
    }

    @Test
    void shouldStartAfreshWhenTheReaderAsksAgain() {
        greenMail.stop();
        try {
            subscribe(READER).then().statusCode(200);
            clock.advance(Duration.ofMinutes(1));
            assertEquals(1, job.retryDue());
            Subscriber twice = subscriber(READER);
            assertEquals(2, twice.confirmationFailures);
            assertEquals(clock.instant().plus(Duration.ofMinutes(2)), twice.confirmationRetryAt);

            subscribe(READER).then().statusCode(200);
            Subscriber again = subscriber(READER);
            assertEquals(1, again.confirmationFailures, "the new request's own failure only");
            assertEquals(clock.instant().plus(Duration.ofMinutes(1)), again.confirmationRetryAt);
        } finally {
            greenMail.start();
        }
    }

    @Test
    void shouldDropTheRetryWhenAnUnconfirmedReturnIsUndone() {
        long id = fixtures.activeSubscriber(READER).id;
        given().contentType("application/x-www-form-urlencoded").body("List-Unsubscribe=One-Click")
                .when().post(links.unsubscribeUrl(id).replace("http://localhost:8080", "")).then().statusCode(200);
        greenMail.stop();
        try {
            subscribe(READER).then().statusCode(200);
        } finally {
            greenMail.start();
        }
        assertEquals(SubscriberStatus.PENDING, subscriber(READER).status);
        assertEquals(TestClock.START.plus(Duration.ofMinutes(1)), subscriber(READER).confirmationRetryAt);

        clock.advance(Duration.ofDays(15));
        purgeJob.purge();
        Subscriber back = subscriber(READER);
        assertEquals(SubscriberStatus.UNSUBSCRIBED, back.status);
        assertNull(back.confirmationRetryAt);
        assertEquals(0, job.retryDue());
    }

    @Test
    void shouldDoubleTheWaitUpToAnHour() {
        List<Long> minutes = IntStream.rangeClosed(1, 10)
                .mapToObj(failures -> ConfirmationSender.backoff(failures).toMinutes()).toList();
        assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 32L, 60L, 60L, 60L, 60L), minutes);
        assertEquals(Duration.ofHours(1), ConfirmationSender.backoff(Integer.MAX_VALUE));
    }

    private double retries(String outcome) {
        return registry.counter("gazette_confirmation_retries_total", "outcome", outcome).count();
    }

    private static List<String> eventTypes(long subscriberId) {
        return QuarkusTransaction.requiringNew().call(() -> SubscriberEvent.history(subscriberId)).stream()
                .map(e -> e.type).toList();
    }
}
