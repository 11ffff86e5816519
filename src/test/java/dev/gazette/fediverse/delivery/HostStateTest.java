package dev.gazette.fediverse.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.gazette.fediverse.FediverseProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * What a host's row remembers between batches: its failure streak, which any answer ends (even one earlier in the
 * batch that then fails), and the signature scheme it accepted, tried first next time.
 */
@QuarkusTest
@TestProfile(FediverseProfile.class)
class HostStateTest extends DeliveryTestBase {

    private static final String SHARED_INBOX = "/inbox";

    @Inject
    DeliveryPlanner planner;

    @Inject
    DeliverySender sender;

    @Test
    void shouldStartANewFailureStreakWhenTheHostAnsweredEarlierInTheBatch() {
        Instant followed = clock.instant().minus(Duration.ofHours(1));
        follower(wireMock.baseUrl() + "/users/bob", wireMock.baseUrl() + "/users/bob/inbox", null, followed);
        follower(wireMock.baseUrl() + "/users/carol", wireMock.baseUrl() + "/users/carol/inbox", null, followed);
        wireMock.stubFor(post(urlEqualTo("/users/bob/inbox")).willReturn(aResponse().withStatus(202)));
        wireMock.stubFor(post(urlEqualTo("/users/carol/inbox")).willReturn(aResponse().withStatus(503)));
        fixtures.published("Rivers in spring", "Water.");
        assertEquals(2, planner.plan());
        // bob's row first in the batch; the host has been failing on and off for almost two days, its back-off over
        execute("update fediverse_delivery set next_attempt_at = next_attempt_at - interval '1 second'"
                + " where inbox like '%/bob/inbox'");
        execute("update fediverse_host set consecutive_failures = 7, failing_since = timestamptz '"
                + clock.instant().minus(Duration.ofHours(47)) + "', retry_at = timestamptz '"
                + clock.instant().minus(Duration.ofMinutes(1)) + "', last_error = 'HTTP 502'");

        assertEquals(2, sender.sendDue());

        assertEquals(1, count("select count(*) from fediverse_delivery where inbox like '%/bob/inbox' and status = 'DELIVERED'"));
        assertEquals(1, count("select count(*) from fediverse_delivery where inbox like '%/carol/inbox' and status = 'RETRY'"));
        assertEquals(1, count("select consecutive_failures from fediverse_host"), "bob's answer ended the old streak");
        assertEquals(1, count("select count(*) from fediverse_host where failing_since = timestamptz '" + clock.instant()
                + "' and retry_at = timestamptz '" + clock.instant().plus(DeliveryHosts.FIRST_BACKOFF)
                + "' and unavailable_since is null and last_error = 'HTTP 503'"),
                "failing since now, backing off from the first step");
    }

    @Test
    void shouldSignFirstWithTheSchemeTheHostAcceptedLastTime() {
        follower(wireMock.baseUrl() + "/users/alice", wireMock.baseUrl() + "/users/alice/inbox",
                wireMock.baseUrl() + SHARED_INBOX, clock.instant().minus(Duration.ofHours(1)));
        acceptOnly(true);
        fixtures.published("Rivers in spring", "Water.");
        planner.plan();
        sender.sendDue();
        assertEquals(2, posts().size(), "draft-cavage refused, then RFC 9421");
        assertEquals(1, count("select count(*) from fediverse_host where signature_scheme = 'RFC9421'"));

        clock.advance(Duration.ofMinutes(1));
        fixtures.published("Lakes in summer", "Still water.");
        planner.plan();
        sender.sendDue();
        List<LoggedRequest> posts = posts();
        assertEquals(3, posts.size(), "one request for the second article");
        assertTrue(posts.get(2).containsHeader("Signature-Input"), "signed with RFC 9421 straight away");
        assertEquals(2, count("select count(*) from fediverse_delivery where status = 'DELIVERED' and attempts = 1"));

        // the server goes back to draft-cavage: the remembered scheme is refused, the other accepted and remembered
        acceptOnly(false);
        clock.advance(Duration.ofMinutes(1));
        fixtures.published("Seas in autumn", "Salt water.");
        planner.plan();
        sender.sendDue();
        posts = posts();
        assertEquals(5, posts.size());
        assertTrue(posts.get(3).containsHeader("Signature-Input") && !posts.get(4).containsHeader("Signature-Input"));
        assertEquals(1, count("select count(*) from fediverse_host where signature_scheme = 'CAVAGE'"));
        assertEquals(3, count("select count(*) from fediverse_delivery where status = 'DELIVERED'"));

        // an answer that checked no signature (410 to either) leaves the remembered scheme as it is
        wireMock.resetMappings();
        wireMock.stubFor(post(urlEqualTo(SHARED_INBOX)).willReturn(aResponse().withStatus(410)));
        clock.advance(Duration.ofMinutes(1));
        fixtures.published("Ponds in winter", "Ice.");
        planner.plan();
        sender.sendDue();
        assertEquals(6, posts().size());
        assertEquals(1, count("select count(*) from fediverse_delivery where status = 'FAILED' and last_error = 'HTTP 410'"));
        assertEquals(1, count("select count(*) from fediverse_host where signature_scheme = 'CAVAGE'"
                + " and consecutive_failures = 0"));
    }

    /** The inbox accepts only RFC 9421 signatures ({@code Signature-Input}), or only draft-cavage; 401 to the other. */
    private void acceptOnly(boolean rfc9421) {
        wireMock.resetMappings();
        wireMock.stubFor(post(urlEqualTo(SHARED_INBOX)).withHeader("Signature-Input", matching(".+"))
                .willReturn(aResponse().withStatus(rfc9421 ? 202 : 401)));
        wireMock.stubFor(post(urlEqualTo(SHARED_INBOX)).withHeader("Signature-Input", absent())
                .willReturn(aResponse().withStatus(rfc9421 ? 401 : 202)));
    }

    private List<LoggedRequest> posts() {
        List<LoggedRequest> posts = new java.util.ArrayList<>(wireMock.findAll(postRequestedFor(urlEqualTo(SHARED_INBOX))));
        posts.sort(java.util.Comparator.comparing(LoggedRequest::getLoggedDate));
        return posts;
    }
}
