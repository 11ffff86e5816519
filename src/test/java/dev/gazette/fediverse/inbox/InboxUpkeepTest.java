package dev.gazette.fediverse.inbox;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.gazette.fediverse.FediverseProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The inbox's upkeep: handled activity ids are forgotten once a replay could no longer pass the date check, a burst
 * signed with an unknown key fetches it once, and a remote key rotation keeps deliveries signed just before it.
 */
@QuarkusTest
@TestProfile(FediverseProfile.class)
class InboxUpkeepTest extends InboxTestBase {

    @Inject
    InboxPruning pruning;

    @Test
    void shouldKeepTombstonesForAWeekWhileSendersRetry() {
        Instant now = clock.instant();
        execute("insert into fediverse_inbox_tombstone (object_id, actor_id, deleted_at) values"
                + " ('https://a.example/notes/old', 'https://a.example/users/a', '" + now.minus(Duration.ofDays(7).plusSeconds(1)) + "'),"
                + " ('https://a.example/notes/day', 'https://a.example/users/a', '" + now.minus(Duration.ofDays(1)) + "')");

        assertEquals(1, pruning.prune(), "a day-old tombstone outlives the activity ids");
        assertEquals(List.of("https://a.example/notes/day"),
                rows("select object_id, 1 from fediverse_inbox_tombstone").stream().map(r -> r[0]).toList());
    }

    @Test
    void shouldForgetActivityIdsOnlyOnceAReplayIsRefusedByItsDate() {
        // the window is 1h: a replay's signature is at most 2h older than its first delivery, plus 1h of margin
        assertEquals(Duration.ofHours(3), pruning.retention());
        Instant now = clock.instant();
        execute("insert into fediverse_inbox_activity values ('https://a.example/old', '" + now.minus(Duration.ofHours(3).plusSeconds(1)) + "')");
        execute("insert into fediverse_inbox_activity values ('https://a.example/recent', '" + now.minus(Duration.ofHours(2).plusMinutes(59)) + "')");

        assertEquals(1, pruning.prune());
        assertEquals(List.of("https://a.example/recent"),
                rows("select activity_id, 1 from fediverse_inbox_activity").stream().map(r -> r[0]).toList());

        // a captured request replayed after its id was forgotten is still refused: its date is outside the window
        RemoteActor alice = new RemoteActor(wireMock, "alice").serve();
        wireMock.stubFor(post(urlEqualTo(alice.inboxPath())).willReturn(aResponse().withStatus(202)));
        String follow = alice.follow(alice.id() + "/follows/1");
        RemoteActor.Signed captured = alice.sign(INBOX, follow, now);
        alice.post(INBOX, follow, captured).statusCode(202);
        awaitBackground();
        clock.advance(pruning.retention().plusSeconds(1));
        assertEquals(2, pruning.prune(), "the recent one and the follow are old now");
        execute("delete from fediverse_follower");
        alice.post(INBOX, follow, captured).statusCode(401);
        awaitBackground();
        assertEquals(0, count("select count(*) from fediverse_follower"));
        assertEquals(1, wireMock.findAll(postRequestedFor(urlEqualTo(alice.inboxPath()))).size(), "one Accept only");
    }

    @Test
    void shouldFetchAnUnknownKeyOnceForABurstOfActivities() {
        RemoteActor alice = new RemoteActor(wireMock, "alice");
        // a slow server: the second worker asks for the key while the first is still fetching it
        wireMock.stubFor(get(urlPathEqualTo("/users/alice")).willReturn(aResponse().withStatus(200).withFixedDelay(400)
                .withHeader("Content-Type", "application/activity+json").withBody(alice.document(alice.keys.getPublic()))));
        for (int i = 1; i <= 6; i++) {
            alice.post(SHARED_INBOX, ReplyInboxTest.activity(alice, "Like", "#likes/" + i, "https://elsewhere.example/" + i),
                    clock.instant()).statusCode(202);
        }
        awaitBackground();

        assertEquals(1, wireMock.findAll(getRequestedFor(urlPathEqualTo("/users/alice"))).size());
        assertEquals(6, count("select count(*) from fediverse_inbox_activity"), "each activity verified and handled");
    }

    @Test
    void shouldAcceptThePreviousKeyOnlyForSignaturesMadeBeforeTheRotation() {
        RemoteActor alice = new RemoteActor(wireMock, "alice").serve();
        wireMock.stubFor(post(urlEqualTo(alice.inboxPath())).willReturn(aResponse().withStatus(202)));
        alice.post(INBOX, alice.follow(alice.id() + "/follows/1"), clock.instant()).statusCode(202);
        awaitBackground();

        // a day later alice's server rotates its key; the first request signed with the new one makes us fetch it
        clock.advance(Duration.ofDays(1));
        RemoteActor rotated = new RemoteActor(wireMock, "alice", RemoteActor.generate()).serve();
        Instant rotation = clock.instant();
        rotated.post(SHARED_INBOX, ReplyInboxTest.activity(rotated, "Like", "#likes/1", "https://elsewhere.example/1"),
                rotation).statusCode(202);
        awaitBackground();
        assertEquals(1, count("select count(*) from fediverse_remote_key where previous_public_key_pem is not null"));

        // a delivery queued on alice's server before the rotation, signed with the old key, arrives late: taken
        clock.advance(Duration.ofMinutes(2));
        alice.post(SHARED_INBOX, ReplyInboxTest.activity(alice, "Like", "#likes/2", "https://elsewhere.example/2"),
                rotation.minus(Duration.ofMinutes(5))).statusCode(202);
        awaitBackground();
        assertEquals(1, count("select count(*) from fediverse_inbox_activity where activity_id = '" + alice.id() + "#likes/2'"));

        // the old key signing anything dated after the rotation is refused at once, and nothing is fetched again
        int fetches = wireMock.findAll(getRequestedFor(urlPathEqualTo("/users/alice"))).size();
        alice.post(INBOX, alice.undoFollow(alice.id() + "#undo", alice.id() + "/follows/1"), rotation.plusSeconds(30))
                .statusCode(401);
        assertEquals(1, count("select count(*) from fediverse_follower"));
        // nor once the signature window has passed since the rotation
        clock.advance(Duration.ofHours(1));
        alice.post(INBOX, alice.undoFollow(alice.id() + "#undo-2", alice.id() + "/follows/1"), rotation.minusSeconds(1))
                .statusCode(401);
        assertEquals(1, count("select count(*) from fediverse_follower"));
        assertEquals(fetches, wireMock.findAll(getRequestedFor(urlPathEqualTo("/users/alice"))).size());
    }
}
