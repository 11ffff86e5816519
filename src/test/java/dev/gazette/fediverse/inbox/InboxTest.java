package dev.gazette.fediverse.inbox;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.gazette.fediverse.FediverseProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * Following the publication from a Mastodon-like server on WireMock: a signed Follow is taken (202), the sender's key
 * and actor are fetched with a signed GET, the follower is stored and answered with an Accept whose signature the
 * test checks itself against the key the publication's actor publishes.
 */
@QuarkusTest
@TestProfile(FediverseProfile.class)
class InboxTest extends InboxTestBase {

    private static final Pattern SIGNATURE = Pattern.compile(
            "keyId=\"([^\"]+)\",algorithm=\"rsa-sha256\",headers=\"([^\"]+)\",signature=\"([^\"]+)\"");

    @Inject
    Outbound outbound;

    @Test
    void shouldStoreAFollowerAndAnswerWithASignedAccept() throws Exception {
        RemoteActor alice = new RemoteActor(wireMock, "alice").serve();
        wireMock.stubFor(post(urlEqualTo(alice.inboxPath())).willReturn(aResponse().withStatus(202)));
        String followId = alice.id() + "/follows/1";

        alice.post(INBOX, alice.follow(followId), clock.instant()).statusCode(202);
        awaitBackground();

        List<Object[]> followers = rows("select actor_id, inbox, shared_inbox, host, follow_activity_id from fediverse_follower");
        assertEquals(1, followers.size());
        assertArrayEquals(new Object[] { alice.id(), alice.id() + "/inbox", wireMock.baseUrl() + "/inbox", "localhost", followId },
                followers.get(0));

        PublicKey ours = publicationKey();
        // the actor was fetched with a signed GET, as servers in authorized-fetch mode require
        LoggedRequest fetch = wireMock.findAll(getRequestedFor(urlPathEqualTo("/users/alice"))).get(0);
        assertCavage(fetch, ours, "get /users/alice", "(request-target) host date");

        List<LoggedRequest> accepts = wireMock.findAll(postRequestedFor(urlEqualTo(alice.inboxPath())));
        assertEquals(1, accepts.size());
        LoggedRequest accept = accepts.get(0);
        assertEquals("application/activity+json", accept.getHeader("Content-Type"));
        assertEquals("SHA-256=" + Base64.getEncoder().encodeToString(RemoteActor.sha256(accept.getBody())),
                accept.getHeader("Digest"));
        assertCavage(accept, ours, "post " + alice.inboxPath(), "(request-target) host date digest");
        JsonPath body = JsonPath.from(accept.getBodyAsString());
        assertEquals("Accept", body.getString("type"));
        assertEquals(FediverseProfile.ACTOR, body.getString("actor"));
        assertEquals(followId, body.getString("object.id"));
        assertEquals("Follow", body.getString("object.type"));
        assertEquals(alice.id(), body.getString("object.actor"));

        assertEquals(1, count("select count(*) from fediverse_outbox where status = 'DELIVERED'"));
        given().when().get("/ap/actor/followers").then().statusCode(200)
                .body("totalItems", equalTo(1)).body("first", nullValue()).body("orderedItems", nullValue());
    }

    @Test
    void shouldRemoveTheFollowerOnUndoAndIgnoreAReplayedFollow() {
        RemoteActor alice = new RemoteActor(wireMock, "alice").serve();
        wireMock.stubFor(post(urlEqualTo(alice.inboxPath())).willReturn(aResponse().withStatus(202)));
        String followId = alice.id() + "/follows/2";
        alice.post(SHARED_INBOX, alice.follow(followId), clock.instant()).statusCode(202);
        awaitBackground();
        assertEquals(1, count("select count(*) from fediverse_follower"));

        // the same Follow again (a retry or a replay): nothing new, no second Accept
        alice.post(SHARED_INBOX, alice.follow(followId), clock.instant()).statusCode(202);
        awaitBackground();
        assertEquals(1, wireMock.findAll(postRequestedFor(urlEqualTo(alice.inboxPath()))).size());

        alice.post(INBOX, alice.undoFollow(alice.id() + "#follows/2/undo", followId), clock.instant()).statusCode(202);
        awaitBackground();
        assertEquals(0, count("select count(*) from fediverse_follower"));
        given().when().get("/ap/actor/followers").then().body("totalItems", equalTo(0));

        // a replay of the original Follow after the Undo does not bring the follower back
        alice.post(INBOX, alice.follow(followId), clock.instant()).statusCode(202);
        awaitBackground();
        assertEquals(0, count("select count(*) from fediverse_follower"));
        assertEquals(1, wireMock.findAll(postRequestedFor(urlEqualTo(alice.inboxPath()))).size());
    }

    @Test
    void shouldSignAgainWithRfc9421WhenTheInboxRefusesDraftCavage() throws Exception {
        RemoteActor alice = new RemoteActor(wireMock, "alice").serve();
        wireMock.stubFor(post(urlEqualTo(alice.inboxPath())).inScenario("knock").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(401)).willSetStateTo("second"));
        wireMock.stubFor(post(urlEqualTo(alice.inboxPath())).inScenario("knock").whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(202)));

        alice.post(INBOX, alice.follow(alice.id() + "/follows/3"), clock.instant()).statusCode(202);
        awaitBackground();

        List<LoggedRequest> posts = wireMock.findAll(postRequestedFor(urlEqualTo(alice.inboxPath())));
        assertEquals(2, posts.size());
        assertTrue(posts.get(0).containsHeader("Digest") && !posts.get(0).containsHeader("Signature-Input"));
        LoggedRequest second = posts.get(1);
        String input = second.getHeader("Signature-Input");
        assertTrue(input.startsWith("sig1=("), input);
        String params = input.substring("sig1=".length());
        assertTrue(params.startsWith("(\"@method\" \"@target-uri\" \"content-digest\");created="
                + clock.instant().getEpochSecond() + ";"), params);
        assertTrue(params.contains(";keyid=\"" + FediverseProfile.ACTOR + "#main-key\""), params);
        String contentDigest = "sha-256=:" + Base64.getEncoder().encodeToString(RemoteActor.sha256(second.getBody())) + ":";
        assertEquals(contentDigest, second.getHeader("Content-Digest"));
        String base = "\"@method\": POST\n\"@target-uri\": " + wireMock.baseUrl() + alice.inboxPath()
                + "\n\"content-digest\": " + contentDigest + "\n\"@signature-params\": " + params;
        String signature = second.getHeader("Signature");
        assertTrue(signature.startsWith("sig1=:") && signature.endsWith(":"), signature);
        assertTrue(verify(publicationKey(), base, Base64.getDecoder().decode(signature.substring(6, signature.length() - 1))),
                "the RFC 9421 signature verifies against the actor's published key");
        assertEquals(1, count("select count(*) from fediverse_outbox where status = 'DELIVERED'"));
    }

    @Test
    void shouldTryTheAcceptAgainLaterWhenTheFollowersServerFails() {
        RemoteActor alice = new RemoteActor(wireMock, "alice").serve();
        wireMock.stubFor(post(urlEqualTo(alice.inboxPath())).willReturn(aResponse().withStatus(503)));
        alice.post(INBOX, alice.follow(alice.id() + "/follows/4"), clock.instant()).statusCode(202);
        awaitBackground();
        assertEquals(1, count("select count(*) from fediverse_follower"));
        assertEquals(1, count("select count(*) from fediverse_outbox where status = 'PENDING' and attempts = 1"));

        assertEquals(0, outbound.deliverDue(), "not due before its back-off");
        wireMock.stubFor(post(urlEqualTo(alice.inboxPath())).willReturn(aResponse().withStatus(202)));
        clock.advance(Duration.ofMinutes(3));
        assertEquals(1, outbound.deliverDue());
        assertEquals(1, count("select count(*) from fediverse_outbox where status = 'DELIVERED' and attempts = 2"));
        assertEquals(2, wireMock.findAll(postRequestedFor(urlEqualTo(alice.inboxPath()))).size());
    }

    @Test
    void shouldRemoveAFollowerWhoseActorIsDeleted() {
        RemoteActor alice = new RemoteActor(wireMock, "alice").serve();
        wireMock.stubFor(post(urlEqualTo(alice.inboxPath())).willReturn(aResponse().withStatus(202)));
        alice.post(INBOX, alice.follow(alice.id() + "/follows/5"), clock.instant()).statusCode(202);
        awaitBackground();
        assertEquals(1, count("select count(*) from fediverse_follower"));

        String delete = "{\"id\":\"" + alice.id() + "#delete\",\"type\":\"Delete\",\"actor\":\"" + alice.id()
                + "\",\"object\":\"" + alice.id() + "\"}";
        alice.post(SHARED_INBOX, delete, clock.instant()).statusCode(202);
        awaitBackground();
        assertEquals(0, count("select count(*) from fediverse_follower"));
        assertEquals(0, count("select count(*) from fediverse_remote_key"));
    }

    @Test
    void shouldCountLikesAndBoostsOfAnArticle() {
        var rivers = fixtures.published("Rivers in spring", "Water.");
        fixtures.published("Other", "Text.");
        String liked = FediverseProfile.BASE_URL + "/articles/" + rivers.slug;
        RemoteActor alice = new RemoteActor(wireMock, "alice").serve();
        for (String[] reaction : new String[][] { { "Like", liked, "1" }, { "Announce", liked, "2" }, { "Like", liked, "1" } }) {
            alice.post(SHARED_INBOX, "{\"id\":\"" + alice.id() + "#" + reaction[0] + reaction[2] + "\",\"type\":\"" + reaction[0]
                    + "\",\"actor\":\"" + alice.id() + "\",\"object\":\"" + reaction[1] + "\"}", clock.instant()).statusCode(202);
            awaitBackground();
        }
        List<Object[]> counts = rows("select article_id, likes, announces from fediverse_reaction");
        assertEquals(1, counts.size(), "the other article has none");
        assertEquals((long) rivers.id, ((Number) counts.get(0)[0]).longValue());
        assertEquals(1, ((Number) counts.get(0)[1]).intValue(), "the replayed Like is not counted twice");
        assertEquals(1, ((Number) counts.get(0)[2]).intValue());
    }

    @Test
    void shouldTakeAnActivitySignedWithRfc9421() {
        RemoteActor alice = new RemoteActor(wireMock, "alice").serve();
        wireMock.stubFor(post(urlEqualTo(alice.inboxPath())).willReturn(aResponse().withStatus(202)));
        alice.postRfc9421(SHARED_INBOX, alice.follow(alice.id() + "/follows/6"), clock.instant()).statusCode(202);
        awaitBackground();
        assertEquals(1, count("select count(*) from fediverse_follower"));

        // now verified at once with the cached key: a stale created time is refused on the spot
        alice.postRfc9421(SHARED_INBOX, alice.undoFollow(alice.id() + "#undo", alice.id() + "/follows/6"),
                clock.instant().minus(Duration.ofHours(2))).statusCode(401).contentType("application/problem+json");
        assertEquals(1, count("select count(*) from fediverse_follower"));
    }

    @Test
    void shouldFetchARotatedKeyOnceWhenTheCachedOneNoLongerVerifies() {
        RemoteActor alice = new RemoteActor(wireMock, "alice").serve();
        wireMock.stubFor(post(urlEqualTo(alice.inboxPath())).willReturn(aResponse().withStatus(202)));
        alice.post(INBOX, alice.follow(alice.id() + "/follows/7"), clock.instant()).statusCode(202);
        awaitBackground();
        assertEquals(1, count("select count(*) from fediverse_remote_key"));

        // a day later alice's server has a new key
        clock.advance(Duration.ofDays(1));
        RemoteActor rotated = new RemoteActor(wireMock, "alice", RemoteActor.generate()).serve();
        rotated.post(INBOX, rotated.undoFollow(alice.id() + "#undo", alice.id() + "/follows/7"), clock.instant())
                .statusCode(202);
        awaitBackground();
        assertEquals(0, count("select count(*) from fediverse_follower"), "verified with the refetched key");
        assertEquals(RemoteActor.pem(rotated.keys.getPublic()),
                rows("select public_key_pem, 1 from fediverse_remote_key").get(0)[0]);

        // a forged signature right after the refetch is refused at once, without fetching again
        int fetches = wireMock.findAll(getRequestedFor(urlPathEqualTo("/users/alice"))).size();
        new RemoteActor(wireMock, "alice", RemoteActor.generate())
                .post(INBOX, alice.follow(alice.id() + "/follows/8"), clock.instant()).statusCode(401);
        assertEquals(fetches, wireMock.findAll(getRequestedFor(urlPathEqualTo("/users/alice"))).size());
    }

    /** Checks a draft-cavage signature over a signing string this test builds from the request as received. */
    private static void assertCavage(LoggedRequest request, PublicKey key, String requestTarget, String headers)
            throws Exception {
        Matcher m = SIGNATURE.matcher(request.getHeader("Signature"));
        assertTrue(m.matches(), request.getHeader("Signature"));
        assertEquals(FediverseProfile.ACTOR + "#main-key", m.group(1));
        assertEquals(headers, m.group(2));
        StringBuilder base = new StringBuilder("(request-target): " + requestTarget);
        for (String name : headers.split(" ")) {
            if (!name.equals("(request-target)")) {
                base.append('\n').append(name).append(": ").append(request.getHeader(name));
            }
        }
        assertTrue(verify(key, base.toString(), Base64.getDecoder().decode(m.group(3))),
                "the signature verifies against the actor's published key: " + base);
    }

    private static boolean verify(PublicKey key, String base, byte[] signature) throws Exception {
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(key);
        verifier.update(base.getBytes(StandardCharsets.UTF_8));
        return verifier.verify(signature);
    }
}
