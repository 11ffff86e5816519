package dev.gazette.fediverse.inbox;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.gazette.article.Article;
import dev.gazette.fediverse.FediverseProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Activities that arrive out of order, and ids that are someone else's: an Undo or a Delete records what it undoes as
 * handled only when that id is on the sender's own server, so another server cannot make a real Follow or reply be
 * ignored, while an actor's own Undo or Delete handled before its Follow or Create still wins. And a Follow whose
 * actor could not be fetched is not recorded, so the sender's retry of it is handled.
 */
@QuarkusTest
@TestProfile(FediverseProfile.class)
class InboxOrderTest extends InboxTestBase {

    /** An actor on another host (127.0.0.1) served by the same WireMock as alice (localhost). */
    private RemoteActor evil() {
        return new RemoteActor(wireMock, "http://127.0.0.1:" + wireMock.port(), "evil", RemoteActor.generate()).serve();
    }

    @Test
    void shouldNotLetAnotherServerClaimAFollowIdWithAnUndo() {
        RemoteActor alice = new RemoteActor(wireMock, "alice").serve();
        wireMock.stubFor(post(urlEqualTo(alice.inboxPath())).willReturn(aResponse().withStatus(202)));
        RemoteActor evil = evil();
        String victimFollow = alice.id() + "/follows/123";

        // the id alone, and the id inside a Follow that claims to be evil's own
        evil.post(SHARED_INBOX, "{\"id\":\"" + evil.id() + "#undo-1\",\"type\":\"Undo\",\"actor\":\"" + evil.id()
                + "\",\"object\":\"" + victimFollow + "\"}", clock.instant()).statusCode(202);
        evil.post(SHARED_INBOX, "{\"id\":\"" + evil.id() + "#undo-2\",\"type\":\"Undo\",\"actor\":\"" + evil.id()
                + "\",\"object\":{\"id\":\"" + victimFollow + "\",\"type\":\"Follow\",\"actor\":\"" + evil.id()
                + "\",\"object\":\"" + FediverseProfile.ACTOR + "\"}}", clock.instant()).statusCode(202);
        awaitBackground();
        assertEquals(2, count("select count(*) from fediverse_inbox_activity"), "evil's own Undos only");
        assertEquals(0, count("select count(*) from fediverse_inbox_activity where activity_id like '%/follows/123'"));

        alice.post(INBOX, alice.follow(victimFollow), clock.instant()).statusCode(202);
        awaitBackground();
        assertEquals(1, count("select count(*) from fediverse_follower where follow_activity_id like '%/follows/123'"));
        assertEquals(1, wireMock.findAll(postRequestedFor(urlEqualTo(alice.inboxPath()))).size(), "alice got her Accept");
    }

    @Test
    void shouldIgnoreAFollowItsActorUndidBeforeItArrived() {
        RemoteActor alice = new RemoteActor(wireMock, "alice").serve();
        wireMock.stubFor(post(urlEqualTo(alice.inboxPath())).willReturn(aResponse().withStatus(202)));
        String followId = alice.id() + "/follows/7";

        alice.post(INBOX, alice.undoFollow(alice.id() + "#undo-7", followId), clock.instant()).statusCode(202);
        awaitBackground();
        alice.post(INBOX, alice.follow(followId), clock.instant()).statusCode(202);
        awaitBackground();

        assertEquals(0, count("select count(*) from fediverse_follower"));
        assertEquals(0, wireMock.findAll(postRequestedFor(urlEqualTo(alice.inboxPath()))).size(), "no Accept");
    }

    @Test
    void shouldKeepOutAReplyWhoseDeleteWasHandledBeforeItsCreate() {
        Article rivers = fixtures.published("Rivers in spring", "Water.");
        RemoteActor alice = new RemoteActor(wireMock, "alice").serve();
        String noteId = alice.id() + "/statuses/1";

        alice.post(SHARED_INBOX, ReplyInboxTest.activity(alice, "Delete", "/statuses/1#delete",
                Map.of("id", noteId, "type", "Tombstone")), clock.instant()).statusCode(202);
        awaitBackground();
        alice.post(SHARED_INBOX, ReplyInboxTest.create(alice, "/statuses/1", ReplyInboxTest.note(alice, "/statuses/1",
                ReplyInboxTest.articleUrl(rivers), "<p>Deleted already</p>")), clock.instant()).statusCode(202);
        awaitBackground();

        assertEquals(0, count("select count(*) from fediverse_reply"), "the late Create is not stored");
        assertEquals(1, count("select count(*) from fediverse_inbox_tombstone"));
    }

    @Test
    void shouldNotLetAnotherServerKeepAReplyOutWithADelete() {
        Article rivers = fixtures.published("Rivers in spring", "Water.");
        RemoteActor alice = new RemoteActor(wireMock, "alice").serve();
        RemoteActor evil = evil();

        evil.post(SHARED_INBOX, ReplyInboxTest.activity(evil, "Delete", "/statuses/9#delete", alice.id() + "/statuses/2"),
                clock.instant()).statusCode(202);
        awaitBackground();
        assertEquals(0, count("select count(*) from fediverse_inbox_tombstone"));

        alice.post(SHARED_INBOX, ReplyInboxTest.create(alice, "/statuses/2", ReplyInboxTest.note(alice, "/statuses/2",
                ReplyInboxTest.articleUrl(rivers), "<p>Still here</p>")), clock.instant()).statusCode(202);
        awaitBackground();
        assertEquals(1, count("select count(*) from fediverse_reply where status = 'PENDING'"));
    }

    @Test
    void shouldHandleTheSendersRetryOfAFollowWhoseActorCouldNotBeFetched() {
        Article rivers = fixtures.published("Rivers in spring", "Water.");
        RemoteActor alice = new RemoteActor(wireMock, "alice").serve();
        wireMock.stubFor(post(urlEqualTo(alice.inboxPath())).willReturn(aResponse().withStatus(202)));
        // a like first: alice's key is cached, so her Follow is verified at once and her actor fetched to follow
        alice.post(SHARED_INBOX, ReplyInboxTest.activity(alice, "Like", "#likes/1", ReplyInboxTest.articleUrl(rivers)),
                clock.instant()).statusCode(202);
        awaitBackground();
        assertEquals(1, count("select count(*) from fediverse_remote_key"));

        // her server is briefly down when the follow is handled
        wireMock.stubFor(get(urlPathEqualTo("/users/alice")).willReturn(aResponse().withStatus(503)));
        String followId = alice.id() + "/follows/8";
        alice.post(INBOX, alice.follow(followId), clock.instant()).statusCode(202);
        awaitBackground();
        assertEquals(0, count("select count(*) from fediverse_follower"));
        assertEquals(0, count("select count(*) from fediverse_inbox_activity where activity_id like '%/follows/8'"),
                "not recorded: a retry of the same Follow must be handled");

        // Mastodon delivers the same Follow again a few minutes later
        alice.serve();
        clock.advance(Duration.ofMinutes(5));
        alice.post(INBOX, alice.follow(followId), clock.instant()).statusCode(202);
        awaitBackground();
        assertEquals(1, count("select count(*) from fediverse_follower"));
        assertEquals(1, wireMock.findAll(postRequestedFor(urlEqualTo(alice.inboxPath()))).size(), "one Accept");
    }
}
