package dev.gazette.fediverse.inbox;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.gazette.article.Article;
import dev.gazette.common.error.ProblemException;
import dev.gazette.fediverse.DomainBlocks;
import dev.gazette.fediverse.FediverseProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Blocking a domain: its servers' activities are refused with 403 before any key is fetched or anything stored, the
 * followers and pending replies it had are removed, and nothing is fetched from it any more.
 */
@QuarkusTest
@TestProfile(FediverseProfile.class)
class DomainBlockInboxTest extends InboxTestBase {

    @Inject
    DomainBlocks blocks;

    @Test
    void shouldRefuseAFollowFromABlockedServerWithoutFetchingOrAnswering() {
        RemoteActor alice = new RemoteActor(wireMock, "alice").serve();
        wireMock.stubFor(post(urlEqualTo(alice.inboxPath())).willReturn(aResponse().withStatus(202)));
        blocks.block("LOCALHOST.", "spam", "admin");

        alice.post(INBOX, alice.follow(alice.id() + "/follows/1"), clock.instant()).statusCode(403)
                .contentType("application/problem+json").body("status", equalTo(403))
                .body("detail", containsString("nothing was stored"));
        awaitBackground();

        assertNothingStored();
        assertEquals(0, count("select count(*) from fediverse_remote_key"));
        assertTrue(wireMock.findAll(anyRequestedFor(anyUrl())).isEmpty(), "no key fetch, no Accept");
    }

    @Test
    void shouldRefuseSubdomainsOfABlockedDomain() {
        blocks.block("spam.example", null, "admin");
        // never fetched: the key id is not even reachable, the refusal comes first
        RemoteActor troll = new RemoteActor(new FakeServer("https://eu.social.spam.example"), "troll");
        troll.post(SHARED_INBOX, troll.follow("https://eu.social.spam.example/follows/1"), clock.instant()).statusCode(403);
        RemoteActor neighbour = new RemoteActor(new FakeServer("https://notspam.example"), "n");
        neighbour.post(SHARED_INBOX, neighbour.follow("https://notspam.example/follows/1"), clock.instant()).statusCode(202);
        awaitBackground();
        assertNothingStored();
    }

    @Test
    void shouldRemoveFollowersAndPendingRepliesOfABlockedDomain() {
        Article rivers = fixtures.published("Rivers in spring", "Water.");
        RemoteActor alice = new RemoteActor(wireMock, "alice").serve();
        wireMock.stubFor(post(urlEqualTo(alice.inboxPath())).willReturn(aResponse().withStatus(202)));
        alice.post(INBOX, alice.follow(alice.id() + "/follows/2"), clock.instant()).statusCode(202);
        alice.post(SHARED_INBOX, ReplyInboxTest.create(alice, "/statuses/1", ReplyInboxTest.note(alice, "/statuses/1",
                ReplyInboxTest.articleUrl(rivers), "<p>Buy now</p>")), clock.instant()).statusCode(202);
        awaitBackground();
        execute("insert into fediverse_follower (actor_id, inbox, host, follow_activity_id, created_at)"
                + " values ('https://mastodon.example/users/carol', 'https://mastodon.example/users/carol/inbox',"
                + " 'mastodon.example', 'https://mastodon.example/follows/9', now())");
        assertEquals(2, count("select count(*) from fediverse_follower"));
        assertEquals(1, count("select count(*) from fediverse_reply where status = 'PENDING'"));

        blocks.block("localhost", "spam", "admin");

        assertEquals(List.of("https://mastodon.example/users/carol"),
                rows("select actor_id, 1 from fediverse_follower").stream().map(r -> r[0]).toList());
        assertEquals(0, count("select count(*) from fediverse_reply"));
        assertTrue(blocks.blocks("localhost"));
        assertTrue(blocks.blocks("deep.sub.localhost"));
        assertFalse(blocks.blocks("notlocalhost"));
    }

    @Test
    void shouldNormaliseDomainsAndRefuseWhatIsNotOne() {
        assertEquals("xn--bcher-kva.example", blocks.block("  Bücher.Example. ", null, "admin").domain());
        assertTrue(blocks.blocks("social.xn--bcher-kva.example"));
        assertEquals("203.0.113.7", blocks.block("203.0.113.7", null, "admin").domain());
        for (String bad : new String[] { "", "https://spam.example", "spam.example:443", "spam.example/users",
                "*.spam.example", "spam..example", "-spam.example" }) {
            try {
                blocks.block(bad, null, "admin");
                throw new AssertionError("accepted " + bad);
            } catch (ProblemException e) {
                assertEquals(400, e.status());
                assertEquals("domain", e.violations().get(0).field(), bad);
            }
        }
        assertEquals(2, blocks.list().size(), "nothing half-written");
        assertTrue(blocks.unblock("BÜCHER.example"));
        assertFalse(blocks.unblock("bücher.example"));
    }

    /** A WireMock stand-in that is never started: only its base URL is used, to name actors on another host. */
    private static final class FakeServer extends WireMockServer {
        private final String base;

        FakeServer(String base) {
            super(0);
            this.base = base;
        }

        @Override
        public String baseUrl() {
            return base;
        }
    }
}
