package dev.gazette.fediverse.inbox;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.gazette.fediverse.FediverseProfile;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * An Accept waiting in {@code fediverse_outbox} is posted by one attempt at a time: the immediate send, the retry job
 * and another node each claim the row first, and only the one whose claim lands posts it.
 */
@QuarkusTest
@TestProfile(FediverseProfile.class)
class OutboundClaimTest extends InboxTestBase {

    private static final String ALICE_INBOX = "/users/alice/inbox";

    @Inject
    Outbound outbound;

    private long enqueue() {
        return QuarkusTransaction.requiringNew().call(() -> outbound.enqueue(wireMock.baseUrl() + ALICE_INBOX,
                "{\"type\":\"Accept\",\"id\":\"" + FediverseProfile.ACTOR + "#accepts/1\"}"));
    }

    @Test
    void shouldPostARowOnceWhenTwoAttemptsRaceForIt() throws Exception {
        wireMock.stubFor(post(urlEqualTo(ALICE_INBOX)).willReturn(aResponse().withStatus(202).withFixedDelay(700)));
        long id = enqueue();

        ExecutorService two = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch start = new CountDownLatch(1);
            Future<?> first = two.submit(() -> {
                start.await();
                outbound.deliver(id);
                return null;
            });
            Future<?> second = two.submit(() -> {
                start.await();
                outbound.deliver(id);
                return null;
            });
            start.countDown();
            first.get();
            second.get();
        } finally {
            two.shutdown();
        }

        assertEquals(1, wireMock.findAll(postRequestedFor(urlEqualTo(ALICE_INBOX))).size());
        assertEquals(1, count("select count(*) from fediverse_outbox where status = 'DELIVERED' and attempts = 1"
                + " and claimed_until is null"));
    }

    @Test
    void shouldLeaveAClaimedRowToItsAttemptUntilTheClaimLapses() {
        wireMock.stubFor(post(urlEqualTo(ALICE_INBOX)).willReturn(aResponse().withStatus(202)));
        long id = enqueue();
        // another node is posting it right now
        execute("update fediverse_outbox set next_attempt_at = '2000-01-01T00:00:00Z', claimed_until = '"
                + clock.instant().plus(Outbound.LEASE) + "'");

        outbound.deliver(id);
        assertEquals(0, outbound.deliverDue(), "the retry job leaves it alone too");
        assertTrue(wireMock.findAll(postRequestedFor(urlEqualTo(ALICE_INBOX))).isEmpty());

        // that node died: once its claim lapses, the retry job posts it
        clock.advance(Outbound.LEASE.plus(Duration.ofSeconds(1)));
        assertEquals(1, outbound.deliverDue());
        assertEquals(1, wireMock.findAll(postRequestedFor(urlEqualTo(ALICE_INBOX))).size());
        assertEquals(1, count("select count(*) from fediverse_outbox where status = 'DELIVERED'"));
    }
}
