package dev.gazette.fediverse.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gazette.fediverse.FediverseProfile;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * A host is taken when it is due ({@code fediverse_host.due_at}), kept right as rows are planned, settled, retried and
 * planned while the host is being sent to: a host with due rows is never missed, and one backing off is not taken
 * before its back-off ends, whatever is planned for it meanwhile.
 */
@QuarkusTest
@TestProfile(FediverseProfile.class)
class HostDueTest extends DeliveryTestBase {

    private static final String SHARED_INBOX = "/inbox";

    @Inject
    DeliveryPlanner planner;

    @Inject
    DeliverySender sender;

    @Inject
    DeliveryHosts hosts;

    @BeforeEach
    void alice() {
        follower(wireMock.baseUrl() + "/users/alice", wireMock.baseUrl() + "/users/alice/inbox",
                wireMock.baseUrl() + SHARED_INBOX, clock.instant().minus(Duration.ofHours(1)));
    }

    @Test
    void shouldTakeAHostAgainForRowsPlannedAfterItsLastBatch() {
        wireMock.stubFor(post(urlEqualTo(SHARED_INBOX)).willReturn(aResponse().withStatus(202)));
        fixtures.published("Rivers in spring", "Water.");
        assertEquals(1, planner.plan());
        assertEquals(clock.instant(), dueAt(), "planning makes the host due");
        assertEquals(1, sender.sendDue());
        assertNull(dueAt(), "nothing left to send: the host is out of the due index");
        assertEquals(0, sender.sendDue());

        clock.advance(Duration.ofMinutes(10));
        fixtures.published("Lakes in summer", "Still water.");
        assertEquals(1, planner.plan());
        assertEquals(clock.instant(), dueAt());
        assertEquals(1, sender.sendDue());
        assertEquals(2, posts());
    }

    @Test
    void shouldKeepRowsPlannedWhileTheHostWasLeasedDue() {
        wireMock.stubFor(post(urlEqualTo(SHARED_INBOX)).willReturn(aResponse().withStatus(202)));
        fixtures.published("Rivers in spring", "Water.");
        planner.plan();
        // another node works the host, finds nothing it can send, and lets it go after the plan committed
        DeliveryHosts.Lease lease = hosts.take(clock.instant().plus(DeliverySender.LEASE)).orElseThrow();
        assertEquals(localhost(), lease.host());
        // the first row is settled under the lease: due_at, lowered for it, must now be computed again from what is left
        execute("update fediverse_delivery set status = 'DELIVERED', delivered_at = now()");
        clock.advance(Duration.ofSeconds(5));
        fixtures.published("Lakes in summer", "Still water.");
        assertEquals(1, planner.plan());
        hosts.release(lease, List.of());
        assertEquals(clock.instant(), dueAt(), "due when its earliest row still waiting is: the one planned meanwhile");

        assertEquals(1, sender.sendDue());
        assertEquals(1, posts());
    }

    @Test
    void shouldMakeAHostDueWhenARowIsMovedToIt() {
        wireMock.stubFor(post(urlEqualTo(SHARED_INBOX)).willReturn(aResponse().withStatus(202)));
        fixtures.published("Rivers in spring", "Water.");
        planner.plan();
        // as a migration that corrects how hosts are read off inbox URLs moves rows from one host to another
        execute("update fediverse_delivery set host = 'user@" + localhost() + "'");
        execute("update fediverse_host set due_at = null");
        execute("update fediverse_delivery set host = '" + localhost() + "'");
        assertEquals(clock.instant(), dueAt());
        assertEquals(1, sender.sendDue());
        assertEquals(1, posts());
    }

    @Test
    void shouldTakeARetriedRowWhenItsBackOffEndsAndNotBefore() {
        wireMock.stubFor(post(urlEqualTo(SHARED_INBOX)).willReturn(aResponse().withStatus(503)));
        fixtures.published("Rivers in spring", "Water.");
        planner.plan();
        assertEquals(1, sender.sendDue());
        Instant retry = clock.instant().plus(DeliveryHosts.FIRST_BACKOFF);
        assertEquals(retry, dueAt(), "the host is due when its retried row is");

        clock.advance(DeliveryHosts.FIRST_BACKOFF.minusSeconds(1));
        assertEquals(0, sender.sendDue());
        assertEquals(1, posts());

        wireMock.stubFor(post(urlEqualTo(SHARED_INBOX)).willReturn(aResponse().withStatus(202)));
        clock.advance(Duration.ofSeconds(1));
        assertEquals(1, sender.sendDue());
        assertEquals(2, posts());
        assertEquals(1, count("select count(*) from fediverse_delivery where status = 'DELIVERED' and attempts = 2"));
        assertNull(dueAt());
    }

    @Test
    void shouldNotTakeABackedOffHostForRowsPlannedMeanwhile() {
        wireMock.stubFor(post(urlEqualTo(SHARED_INBOX)).willReturn(aResponse().withStatus(503)));
        fixtures.published("Rivers in spring", "Water.");
        planner.plan();
        sender.sendDue();
        Instant retry = clock.instant().plus(DeliveryHosts.FIRST_BACKOFF);

        clock.advance(Duration.ofSeconds(20));
        fixtures.published("Lakes in summer", "Still water.");
        assertEquals(1, planner.plan());
        assertEquals(clock.instant(), dueAt(), "the new row is due now");
        assertEquals(0, sender.sendDue(), "but the host backs off");
        clock.advance(Duration.ofSeconds(39));
        assertEquals(0, sender.sendDue());
        assertEquals(1, posts());

        wireMock.stubFor(post(urlEqualTo(SHARED_INBOX)).willReturn(aResponse().withStatus(202)));
        clock.advance(Duration.ofSeconds(1));
        assertEquals(retry, clock.instant());
        assertEquals(2, sender.sendDue(), "both rows once the back-off ends");
        assertEquals(3, posts());
        assertNull(dueAt());
    }

    private String localhost() {
        return "localhost:" + wireMock.port();
    }

    private int posts() {
        return wireMock.findAll(postRequestedFor(urlEqualTo(SHARED_INBOX))).size();
    }

    private Instant dueAt() {
        return QuarkusTransaction.requiringNew().call(() -> {
            Object value = Panache.getEntityManager().createNativeQuery("select due_at from fediverse_host where host = :host")
                    .setParameter("host", localhost()).getSingleResult();
            return value == null ? null : value instanceof Instant i ? i : ((java.time.OffsetDateTime) value).toInstant();
        });
    }
}
