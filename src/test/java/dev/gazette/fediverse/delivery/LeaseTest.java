package dev.gazette.fediverse.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import dev.gazette.fediverse.ActorKeys;
import dev.gazette.fediverse.ArticleObjects;
import dev.gazette.fediverse.FediverseClient;
import dev.gazette.fediverse.FediverseConfig;
import dev.gazette.fediverse.FediverseProfile;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * A host's lease is short, renewed before a request it might not cover, and owned: a node that lost it (it ran out,
 * another took the host) stops its batch and can no longer renew, release or record anything for the host or its
 * rows; a node that stops puts back the rows it claimed and did not send and lets
 * its hosts go, so another node carries on at once instead of when the lease ends. A second sender, built here from
 * the application's parts, stands in for a node that stops.
 */
@QuarkusTest
@TestProfile(FediverseProfile.class)
class LeaseTest extends DeliveryTestBase {

    @Inject
    DeliveryPlanner planner;

    @Inject
    DeliverySender sender;

    @Inject
    DeliveryHosts hosts;

    @Inject
    EntityManager em;

    @Inject
    FediverseClient client;

    @Inject
    ArticleObjects articles;

    @Inject
    FediverseConfig config;

    @Inject
    MeterRegistry metrics;

    @Inject
    ActorKeys keys;

    @Test
    void shouldLeaveAHostToTheNodeThatTookItOverOnceTheLeaseRanOut() {
        followers(1);
        fixtures.published("Rivers in spring", "Water.");
        planner.plan();
        DeliveryHosts.Lease first = hosts.take(clock.instant().plus(DeliverySender.LEASE)).orElseThrow();
        assertTrue(hosts.take(clock.instant().plus(DeliverySender.LEASE)).isEmpty(), "held");
        execute("update fediverse_host set consecutive_failures = 3, last_error = 'HTTP 502'");

        clock.advance(DeliverySender.LEASE);
        DeliveryHosts.Lease second = hosts.take(clock.instant().plus(DeliverySender.LEASE)).orElseThrow();
        assertEquals(first.host(), second.host());
        assertNotEquals(first.owner(), second.owner());

        assertFalse(hosts.renew(first, clock.instant().plus(DeliverySender.LEASE)));
        hosts.answered(first, FediverseClient.Scheme.RFC9421);
        hosts.failed(first, "HTTP 503");
        hosts.release(first, List.of(1L));
        assertEquals(1, count("select count(*) from fediverse_host where consecutive_failures = 3 and last_error = 'HTTP 502'"
                + " and signature_scheme is null and retry_at is null and lease_owner = '" + second.owner()
                + "' and lease_until = timestamptz '" + clock.instant().plus(DeliverySender.LEASE) + "'"),
                "the old holder changed nothing");

        assertTrue(hosts.renew(second, clock.instant().plus(Duration.ofSeconds(90))));
        hosts.release(second, List.of());
        assertEquals(1, count("select count(*) from fediverse_host where lease_until is null and lease_owner is null"));
    }

    @Test
    void shouldRenewTheLeaseBeforeARequestItMightNotCover() throws Exception {
        followers(2);
        wireMock.stubFor(post(urlPathMatching("/users/.*/inbox")).willReturn(aResponse().withStatus(202).withFixedDelay(500)));
        fixtures.published("Rivers in spring", "Water.");
        planner.plan();
        CompletableFuture<Integer> sending = CompletableFuture.supplyAsync(sender::sendDue);
        await("the first request", () -> requests() >= 1);
        // 50 s into a two-minute lease: the next exchange (up to 45 s) and a margin might outlast it
        clock.advance(Duration.ofSeconds(50));
        await("the second request", () -> requests() >= 2);
        Instant renewed = clock.instant().plus(DeliverySender.LEASE);
        assertEquals(1, count("select count(*) from fediverse_host where lease_until = timestamptz '" + renewed + "'"),
                "renewed from now");
        assertEquals(1, count("select count(*) from fediverse_delivery where status = 'PENDING' and next_attempt_at"
                + " = timestamptz '" + renewed + "'"), "the claim of the row under way goes as far as the renewed lease");
        assertEquals(1, count("select count(*) from fediverse_delivery where status = 'DELIVERED'"));
        assertEquals(2, sending.get(5, TimeUnit.SECONDS));
        assertEquals(2, count("select count(*) from fediverse_delivery where status = 'DELIVERED'"));
        assertEquals(1, count("select count(*) from fediverse_host where lease_until is null"));
    }

    @Test
    void shouldStopTheBatchWhenTheLeaseWasLostToAnotherNode() throws Exception {
        followers(3);
        wireMock.stubFor(post(urlPathMatching("/users/.*/inbox")).willReturn(aResponse().withStatus(202).withFixedDelay(500)));
        fixtures.published("Rivers in spring", "Water.");
        planner.plan();
        CompletableFuture<Integer> sending = CompletableFuture.supplyAsync(sender::sendDue);
        await("the first request", () -> requests() >= 1);
        // the request stalls past the lease; another node takes the host meanwhile
        clock.advance(DeliverySender.LEASE.plusSeconds(1));
        Instant othersLease = clock.instant().plus(DeliverySender.LEASE);
        execute("update fediverse_host set lease_owner = 'another node', lease_until = timestamptz '" + othersLease + "'");

        assertEquals(3, sending.get(5, TimeUnit.SECONDS));
        assertEquals(1, requests(), "nothing more sent once the lease was lost");
        // the answer came after the lease was gone: not recorded over whatever the new holder does; the row is sent
        // again, under the same activity id
        assertEquals(0, count("select count(*) from fediverse_delivery where status <> 'PENDING'"));
        assertEquals(3, count("select count(*) from fediverse_delivery where status = 'PENDING'"
                + " and next_attempt_at < timestamptz '" + clock.instant() + "'"), "all three are the new holder's to claim");
        assertEquals(1, count("select count(*) from fediverse_host where lease_owner = 'another node' and lease_until"
                + " = timestamptz '" + othersLease + "'"), "its lease left alone");
    }

    @Test
    void shouldPutBackTheRowsNotSentAndReleaseTheHostWhenStopping() throws Exception {
        followers(5);
        wireMock.stubFor(post(urlPathMatching("/users/.*/inbox")).willReturn(aResponse().withStatus(202).withFixedDelay(300)));
        fixtures.published("Rivers in spring", "Water.");
        assertEquals(5, planner.plan());
        DeliverySender node = node();
        CompletableFuture<Integer> sending = CompletableFuture.supplyAsync(node::sendDue);
        await("a request under way", () -> requests() >= 1);

        node.shutdown(Duration.ofSeconds(5));
        assertEquals(5, sending.get(5, TimeUnit.SECONDS), "the batch was claimed whole");
        long delivered = count("select count(*) from fediverse_delivery where status = 'DELIVERED'");
        assertTrue(delivered >= 1 && delivered < 5, "the request under way ended, no other was sent: " + delivered);
        assertEquals(5 - delivered, count("select count(*) from fediverse_delivery where status = 'PENDING' and attempts = 0"
                + " and next_attempt_at = timestamptz '" + clock.instant() + "'"), "the rest are due again now");
        assertEquals(1, count("select count(*) from fediverse_host where lease_until is null and due_at = timestamptz '"
                + clock.instant() + "'"), "the host is free and due");

        assertEquals(5 - delivered, sender.sendDue(), "another node takes over at once");
        assertEquals(5, requests(), "each inbox once");
    }

    @Test
    void shouldKeepTheRowUnderWayClaimedWhenARequestOutlastsTheWait() throws Exception {
        followers(3);
        wireMock.stubFor(post(urlPathMatching("/users/.*/inbox")).willReturn(aResponse().withStatus(202).withFixedDelay(3000)));
        fixtures.published("Rivers in spring", "Water.");
        planner.plan();
        DeliverySender node = node();
        CompletableFuture<Integer> sending = CompletableFuture.supplyAsync(node::sendDue);
        await("a request under way", () -> requests() >= 1);
        Instant leaseEnd = clock.instant().plus(DeliverySender.LEASE);
        assertEquals(3, count("select count(*) from fediverse_delivery where next_attempt_at = timestamptz '" + leaseEnd
                + "'"), "claimed rows are out of other claims as far as the lease goes, no further");
        assertEquals(1, count("select count(*) from fediverse_host where lease_until = timestamptz '" + leaseEnd + "'"));

        long started = System.nanoTime();
        node.shutdown(Duration.ofMillis(200));
        assertTrue(System.nanoTime() - started < 2_000_000_000L, "stopping waits a bounded time");
        assertEquals(2, count("select count(*) from fediverse_delivery where status = 'PENDING' and next_attempt_at"
                + " = timestamptz '" + clock.instant() + "'"), "the rows not sent are due again at once");
        // the request under way cannot be called back: its row stays claimed until the lease's end, so the host's next
        // holder does not send it at the same time
        assertEquals(1, count("select count(*) from fediverse_delivery where status = 'PENDING' and next_attempt_at"
                + " = timestamptz '" + leaseEnd + "'"));
        assertEquals(0, count("select count(*) from fediverse_host where lease_until is not null"));
        // the interrupted worker ends with its request; nothing it does then takes the host again or settles the row
        sending.get(10, TimeUnit.SECONDS);
        assertEquals(0, count("select count(*) from fediverse_host where lease_until is not null"));
        assertEquals(3, count("select count(*) from fediverse_delivery where status = 'PENDING'"));
        assertEquals(0, count("select count(*) from fediverse_host where consecutive_failures > 0"));
    }

    private DeliverySender node() {
        return new DeliverySender(em, client, articles, config, clock, metrics, keys, hosts);
    }

    /** {@code n} followers on one server (WireMock), each with an inbox of its own. */
    private void followers(int n) {
        for (int i = 0; i < n; i++) {
            follower(wireMock.baseUrl() + "/users/u" + i, wireMock.baseUrl() + "/users/u" + i + "/inbox", null,
                    clock.instant().minus(Duration.ofHours(1)));
        }
    }

    private int requests() {
        return wireMock.findAll(postRequestedFor(urlPathMatching("/users/.*/inbox"))).size();
    }
}
