package dev.gazette.fediverse.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import dev.gazette.fediverse.FediverseProfile;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * A host is one unit for delivery: one request at a time from the whole cluster (two threads sending at once stand in
 * for two nodes), backed off as a whole when it fails, and, once it has failed for days, unavailable: skipped and
 * probed with one delivery every 12 hours until it answers.
 */
@QuarkusTest
@TestProfile(FediverseProfile.class)
class HostLimitsTest extends DeliveryTestBase {

    private static final String SHARED_INBOX = "/inbox";
    private static final String CAROL_INBOX = "/users/carol/inbox";
    private static final int DELAY_MS = 100;

    @Inject
    DeliveryPlanner planner;

    @Inject
    DeliverySender sender;

    private String localhost() {
        return "localhost:" + wireMock.port();
    }

    @Test
    void shouldNeverHaveTwoRequestsInFlightToOneHostWhenTwoNodesSendAtOnce() throws Exception {
        int perHost = DeliverySender.HOST_BATCH + 6;
        String second = "http://127.0.0.1:" + wireMock.port();
        for (int i = 0; i < perHost; i++) {
            follower(wireMock.baseUrl() + "/users/a" + i, wireMock.baseUrl() + "/users/a" + i + "/inbox", null,
                    clock.instant().minus(Duration.ofHours(1)));
            follower(second + "/users/b" + i, second + "/users/b" + i + "/inbox", null,
                    clock.instant().minus(Duration.ofHours(1)));
        }
        wireMock.stubFor(post(urlPathMatching("/users/.*/inbox"))
                .willReturn(aResponse().withStatus(202).withFixedDelay(DELAY_MS)));
        fixtures.published("Rivers in spring", "Water.");
        assertEquals(2 * perHost, planner.plan());

        CountDownLatch start = new CountDownLatch(1);
        CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> awaitThenSend(start));
        CompletableFuture<Integer> other = CompletableFuture.supplyAsync(() -> awaitThenSend(start));
        start.countDown();
        assertEquals(2 * perHost, first.get() + other.get(), "every row claimed once between the two");

        Map<String, List<ServeEvent>> byHost = new HashMap<>();
        for (ServeEvent event : wireMock.getAllServeEvents()) {
            byHost.computeIfAbsent(event.getRequest().getHeader("Host"), h -> new ArrayList<>()).add(event);
        }
        assertEquals(2, byHost.size());
        for (Map.Entry<String, List<ServeEvent>> host : byHost.entrySet()) {
            List<ServeEvent> events = host.getValue();
            assertEquals(perHost, events.size(), host.getKey());
            events.sort(Comparator.comparing(e -> e.getRequest().getLoggedDate()));
            for (int i = 1; i < events.size(); i++) {
                long gap = events.get(i).getRequest().getLoggedDate().getTime()
                        - events.get(i - 1).getRequest().getLoggedDate().getTime();
                // each answer takes DELAY_MS; a request sent before the previous answer came back overlaps it
                assertTrue(gap >= DELAY_MS - 5, host.getKey() + ": request " + i + " came " + gap + " ms after the one before");
            }
        }
        assertEquals(2 * perHost, count("select count(*) from fediverse_delivery where status = 'DELIVERED'"));
        assertEquals(0, count("select count(*) from fediverse_host where lease_until is not null"), "every lease released");
    }

    private int awaitThenSend(CountDownLatch start) {
        try {
            start.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return sender.sendDue();
    }

    @Test
    void shouldBackOffAFailingHostAsAWholeWhileOtherHostsGoOn() {
        String second = "http://127.0.0.1:" + wireMock.port();
        follower(wireMock.baseUrl() + "/users/alice", wireMock.baseUrl() + "/users/alice/inbox",
                wireMock.baseUrl() + SHARED_INBOX, clock.instant().minus(Duration.ofHours(1)));
        follower(second + "/users/carol", second + CAROL_INBOX, null, clock.instant().minus(Duration.ofHours(1)));
        wireMock.stubFor(post(urlEqualTo(SHARED_INBOX)).willReturn(aResponse().withStatus(503)));
        wireMock.stubFor(post(urlEqualTo(CAROL_INBOX)).willReturn(aResponse().withStatus(202)));
        fixtures.published("Rivers in spring", "Water.");
        planner.plan();
        sender.sendDue();
        assertEquals(1, posts(SHARED_INBOX));

        clock.advance(Duration.ofSeconds(30));
        fixtures.published("Lakes in summer", "Still water.");
        assertEquals(2, planner.plan());
        assertEquals(1, sender.sendDue(), "only carol's host is sent to");
        assertEquals(1, posts(SHARED_INBOX), "the failing host is not tried before its back-off");
        assertEquals(2, posts(CAROL_INBOX));
        assertEquals(1, count("select count(*) from fediverse_delivery where host = '" + localhost()
                + "' and status = 'PENDING' and attempts = 0"), "the new article waits for the host without an attempt");

        clock.advance(Duration.ofSeconds(31));
        assertEquals(2, sender.sendDue());
        assertEquals(2, posts(SHARED_INBOX), "after the host failed again, its other row waits with it");
        assertEquals(2, count("select consecutive_failures from fediverse_host where host = '" + localhost() + "'"));
        Instant retry = retryAt(localhost());
        assertEquals(clock.instant().plus(Duration.ofMinutes(2)), retry, "the host's back-off doubles");
        assertEquals(2, count("select count(*) from fediverse_delivery where host = '" + localhost()
                + "' and status = 'RETRY' and next_attempt_at = (select retry_at from fediverse_host where host = '"
                + localhost() + "')"));

        wireMock.stubFor(post(urlEqualTo(SHARED_INBOX)).willReturn(aResponse().withStatus(202)));
        clock.advance(Duration.ofMinutes(2));
        assertEquals(2, sender.sendDue());
        assertEquals(4, posts(SHARED_INBOX));
        assertEquals(4, count("select count(*) from fediverse_delivery where status = 'DELIVERED'"));
        assertEquals(0, count("select consecutive_failures from fediverse_host where host = '" + localhost() + "'"),
                "a success clears the host's failures");
    }

    @Test
    void shouldSkipAnUnavailableHostAndProbeItEveryTwelveHours() {
        follower(wireMock.baseUrl() + "/users/alice", wireMock.baseUrl() + "/users/alice/inbox",
                wireMock.baseUrl() + SHARED_INBOX, clock.instant().minus(Duration.ofHours(1)));
        wireMock.stubFor(post(urlEqualTo(SHARED_INBOX)).willReturn(aResponse().withStatus(503)));
        Instant started = clock.instant();
        fixtures.published("Rivers in spring", "Water.");
        planner.plan();
        sender.sendDue();
        // the host keeps failing at every retry, up to 6 hours apart, until it has failed for two days
        while (count("select count(*) from fediverse_host where unavailable_since is not null") == 0) {
            clock.advance(Duration.between(clock.instant(), retryAt(localhost())));
            assertEquals(1, sender.sendDue());
            assertTrue(clock.instant().isBefore(started.plus(Duration.ofDays(3))), "unavailable within the give-up time");
        }
        assertTrue(!clock.instant().isBefore(started.plus(Duration.ofDays(2))), "not unavailable before two days");
        assertEquals(clock.instant().plus(Duration.ofHours(12)), retryAt(localhost()));
        int tried = posts(SHARED_INBOX);

        clock.advance(Duration.ofHours(1));
        fixtures.published("Lakes in summer", "Still water.");
        clock.advance(Duration.ofMinutes(1));
        fixtures.published("Seas in autumn", "Salt water.");
        assertEquals(2, planner.plan());
        assertEquals(0, sender.sendDue(), "an unavailable host is skipped");
        assertEquals(tried, posts(SHARED_INBOX));

        clock.advance(Duration.ofHours(11));
        assertEquals(1, sender.sendDue(), "one delivery probes the host");
        assertEquals(tried + 1, posts(SHARED_INBOX));

        wireMock.stubFor(post(urlEqualTo(SHARED_INBOX)).willReturn(aResponse().withStatus(202)));
        clock.advance(Duration.ofHours(12));
        assertEquals(2, sender.sendDue(), "the probe gets through, and the rest follow in the same run");
        String rivers = FediverseProfile.BASE_URL + "/articles/rivers-in-spring#create";
        assertEquals(1, count("select count(*) from fediverse_delivery where activity_id = '" + rivers
                + "' and status = 'FAILED' and last_error like 'given up: " + localhost() + " has been unavailable since %'"),
                "the first article's delivery, older than three days, fails naming the host");
        assertEquals(tried + 3, posts(SHARED_INBOX));
        assertEquals(2, count("select count(*) from fediverse_delivery where status = 'DELIVERED'"));
        assertEquals(0, count("select count(*) from fediverse_host where unavailable_since is not null"
                + " or failing_since is not null or retry_at is not null"));
    }

    private int posts(String path) {
        return wireMock.findAll(postRequestedFor(urlEqualTo(path))).size();
    }

    private static Instant retryAt(String host) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Object value = Panache.getEntityManager().createNativeQuery("select retry_at from fediverse_host where host = :host")
                    .setParameter("host", host).getSingleResult();
            return value instanceof Instant i ? i : ((java.time.OffsetDateTime) value).toInstant();
        });
    }
}
