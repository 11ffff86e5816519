package dev.gazette.fediverse;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.gazette.fediverse.inbox.PendingActivities;
import dev.gazette.fediverse.inbox.RemoteActor;
import dev.gazette.testing.GazetteTest;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Remote actors on private addresses: unless {@code gazette.fediverse.allow-private-addresses} is on, a signed activity
 * whose key lives on loopback makes this server request nothing there, and nothing is stored.
 */
@QuarkusTest
@TestProfile(FediverseProfile.class)
class FediverseClientTest extends GazetteTest {

    @Inject
    FediverseClient client;

    @Inject
    PendingActivities pending;

    @Test
    void shouldNotFetchAnActorOnAPrivateAddress() throws Exception {
        RemoteActor alice = new RemoteActor(wireMock, "alice").serve();
        client.allowPrivateAddresses(false);
        try {
            FediverseClient.Fetched fetched = client.get(URI.create(alice.id()));
            assertInstanceOf(FediverseClient.Fetched.Failed.class, fetched);
            String reason = ((FediverseClient.Fetched.Failed) fetched).reason();
            assertTrue(reason.contains("non-public address") && reason.contains("gazette.fediverse.allow-private-addresses"),
                    reason);

            alice.post("/ap/actor/inbox", alice.follow(alice.id() + "/follows/1"), clock.instant()).statusCode(202);
            assertTrue(pending.awaitIdle(Duration.ofSeconds(20)));
        } finally {
            client.allowPrivateAddresses(true);
        }
        assertEquals(0, wireMock.findAll(anyRequestedFor(anyUrl())).size(), "nothing was requested from 127.0.0.1");
        assertEquals(0L, QuarkusTransaction.requiringNew().call(() -> ((Number) Panache.getEntityManager().createNativeQuery(
                "select (select count(*) from fediverse_follower) + (select count(*) from fediverse_remote_key)"
                        + " + (select count(*) from fediverse_inbox_activity)").getSingleResult()).longValue()));
    }
}
