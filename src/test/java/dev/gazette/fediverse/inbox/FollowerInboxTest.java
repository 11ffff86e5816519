package dev.gazette.fediverse.inbox;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.gazette.fediverse.DomainBlocks;
import dev.gazette.fediverse.FediverseProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The inboxes a follower's actor document gives: refused when deliveries could not safely go there (not http(s),
 * user information, an overlong host or URL), stored normalised, and covered by domain blocks like the actor itself,
 * including a block added while the actor was being fetched. IPv6 blocks match however the address is written.
 */
@QuarkusTest
@TestProfile(FediverseProfile.class)
class FollowerInboxTest extends InboxTestBase {

    @Inject
    DomainBlocks blocks;

    /** Serves {@code actor}'s document with its inbox and shared inbox replaced. */
    private static RemoteActor serveWith(RemoteActor actor, String inbox, String sharedInbox) {
        String document = actor.document(actor.keys.getPublic())
                .replace("\"inbox\":\"" + actor.id() + "/inbox\"", "\"inbox\":\"" + inbox + "\"")
                .replace("\"sharedInbox\":\"" + actor.baseUrl() + "/inbox\"", "\"sharedInbox\":\"" + sharedInbox + "\"");
        actor.server.stubFor(get(urlPathEqualTo("/users/" + actor.name)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/activity+json").withBody(document)));
        return actor;
    }

    @Test
    void shouldRefuseAFollowerWhoseInboxCouldNotSafelyBeDeliveredTo() {
        String base = wireMock.baseUrl();
        String[][] bad = {
                { "ftp://localhost/users/m0/inbox", base + "/inbox" },
                { "https://user@localhost/users/m1/inbox", base + "/inbox" },
                { base + "/users/m2/inbox", "https://user:secret@relay.example/inbox" },
                { "https://" + ("a".repeat(60) + ".").repeat(5) + "example/inbox", base + "/inbox" },
                { base + "/users/m4/inbox?" + "x".repeat(2000), base + "/inbox" },
                { base + "/users/m5/inbox", "javascript:alert(1)" },
        };
        for (int i = 0; i < bad.length; i++) {
            RemoteActor mallory = serveWith(new RemoteActor(wireMock, "m" + i, RemoteActor.generate()), bad[i][0], bad[i][1]);
            mallory.post(SHARED_INBOX, mallory.follow(mallory.id() + "/follows/1"), clock.instant()).statusCode(202);
            awaitBackground();
            assertEquals(0, count("select count(*) from fediverse_follower"), bad[i][0] + " / " + bad[i][1]);
            assertEquals(0, count("select count(*) from fediverse_inbox_activity"), "not recorded: " + i);
            assertEquals(0, count("select count(*) from fediverse_outbox"), "not answered: " + i);
        }
    }

    @Test
    void shouldStoreTheInboxesNormalised() {
        RemoteActor alice = serveWith(new RemoteActor(wireMock, "alice"), "HTTPS://Social.EXAMPLE.:443/users/alice/inbox#x",
                "http://[2001:DB8:0:0:0:0:0:1]:80/inbox");
        alice.post(SHARED_INBOX, alice.follow(alice.id() + "/follows/1"), clock.instant()).statusCode(202);
        awaitBackground();
        List<Object[]> rows = rows("select inbox, shared_inbox, host from fediverse_follower");
        assertEquals(1, rows.size());
        assertArrayEquals(new Object[] { "https://social.example/users/alice/inbox", "http://[2001:db8::1]/inbox", "localhost" },
                rows.get(0));
    }

    @Test
    void shouldRefuseAFollowerWhoseInboxIsOnABlockedDomain() {
        blocks.block("relay.example", "spam relay", "admin");
        RemoteActor alice = serveWith(new RemoteActor(wireMock, "alice"), wireMock.baseUrl() + "/users/alice/inbox",
                "https://eu.relay.example/inbox");
        wireMock.stubFor(post(urlEqualTo(alice.inboxPath())).willReturn(aResponse().withStatus(202)));
        alice.post(SHARED_INBOX, alice.follow(alice.id() + "/follows/1"), clock.instant()).statusCode(202);
        awaitBackground();
        assertNothingStored();
        assertTrue(wireMock.findAll(postRequestedFor(urlEqualTo(alice.inboxPath()))).isEmpty(), "no Accept");
    }

    @Test
    void shouldRemoveFollowersWhoseInboxIsOnADomainBeingBlocked() {
        execute("insert into fediverse_follower (actor_id, inbox, shared_inbox, host, follow_activity_id, created_at) values"
                + " ('https://a.example/users/x', 'https://a.example/users/x/inbox', 'https://relay.spam.example/inbox',"
                + " 'a.example', 'https://a.example/follows/1', now()),"
                + " ('https://b.example/users/y', 'https://SPAM.example/users/y/inbox', null, 'b.example',"
                + " 'https://b.example/follows/1', now()),"
                + " ('https://d.example/users/w', 'https://spam.example./users/w/inbox', null, 'd.example',"
                + " 'https://d.example/follows/1', now()),"
                + " ('https://c.example/users/z', 'https://c.example/users/z/inbox', 'https://notspam.example/inbox',"
                + " 'c.example', 'https://c.example/follows/1', now())");
        blocks.block("spam.example", null, "admin");
        assertEquals(List.of("https://c.example/users/z"),
                rows("select actor_id, 1 from fediverse_follower").stream().map(r -> r[0]).toList());
    }

    @Test
    void shouldLetABlockAddedWhileTheActorWasFetchedWin() throws InterruptedException {
        RemoteActor alice = new RemoteActor(wireMock, "alice");
        wireMock.stubFor(get(urlPathEqualTo("/users/alice")).willReturn(aResponse().withStatus(200).withFixedDelay(1500)
                .withHeader("Content-Type", "application/activity+json").withBody(alice.document(alice.keys.getPublic()))));
        wireMock.stubFor(post(urlEqualTo(alice.inboxPath())).willReturn(aResponse().withStatus(202)));

        alice.post(INBOX, alice.follow(alice.id() + "/follows/1"), clock.instant()).statusCode(202);
        Thread.sleep(500); // the key fetch is under way
        blocks.block("localhost", "spam", "admin");
        awaitBackground();

        assertNothingStored();
        assertTrue(wireMock.findAll(postRequestedFor(urlEqualTo(alice.inboxPath()))).isEmpty(), "no Accept");
    }

    @Test
    void shouldCompareIpv6BlocksInCanonicalForm() {
        assertEquals("2001:db8::1", blocks.block("[2001:DB8::1]", null, "admin").domain());
        assertEquals("2001:db8::1", blocks.block("2001:0db8:0000:0000:0000:0000:0000:0001", "again", "admin").domain());
        assertEquals(1, blocks.list().size());
        assertTrue(blocks.blocks("[2001:db8:0:0:0:0:0:1]"));
        assertFalse(blocks.blocks("[2001:db8::2]"));
        assertEquals("2001:db8:0:1:1:1:1:1", DomainBlocks.ipv6("2001:DB8:0:1:1:1:1:1"), "a single zero group is kept");
        assertEquals("2001:db8::1:0:0:1", DomainBlocks.ipv6("2001:db8:0:0:1:0:0:1"), "the first of two equal runs");

        // an actor on that address, written another way, is refused before anything is fetched
        RemoteActor v6 = new RemoteActor(wireMock, "http://[2001:db8:0:0:0:0:0:1]", "v6", RemoteActor.generate());
        v6.post(SHARED_INBOX, v6.follow(v6.id() + "/follows/1"), clock.instant()).statusCode(403);
        assertTrue(blocks.unblock("2001:DB8:0::1"));
    }
}
