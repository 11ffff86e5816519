package dev.gazette.fediverse.inbox;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.gazette.fediverse.FediverseProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * What the inbox refuses, each with its status and a problem body, and with nothing stored: forged or stale
 * signatures, a body that is not the one signed, a key speaking for another actor, bodies too large or not JSON.
 */
@QuarkusTest
@TestProfile(FediverseProfile.class)
class InboxRefusalTest extends InboxTestBase {

    /**
     * The sender's key as if fetched earlier, so the inbox checks the signature at once; its actor is served too, so an
     * activity let through by mistake would be stored and the checks after each refusal would see it.
     */
    private void cacheKey(RemoteActor actor) {
        actor.serve();
        execute("insert into fediverse_remote_key (key_id, owner_actor_id, public_key_pem, fetched_at) values ('"
                + actor.keyId() + "', '" + actor.id() + "', '" + RemoteActor.pem(actor.keys.getPublic()) + "', '"
                + clock.instant() + "')");
    }

    @Test
    void shouldRefuseASignatureMadeWithAnotherKey() {
        RemoteActor alice = new RemoteActor(wireMock, "alice");
        cacheKey(alice);
        RemoteActor forger = new RemoteActor(wireMock, "alice", RemoteActor.generate());
        forger.post(INBOX, alice.follow(alice.id() + "/follows/1"), clock.instant())
                .statusCode(401).contentType("application/problem+json")
                .body("detail", containsString("the signature does not match"));
        awaitBackground();
        assertNothingStored();
        assertEquals(0, wireMock.findAll(anyRequestedFor(anyUrl())).size(), "a fresh key is not fetched again");
    }

    @Test
    void shouldCheckTheSignatureAgainstThePublicHostWhateverTheRequestSays() {
        RemoteActor alice = new RemoteActor(wireMock, "alice");
        cacheKey(alice);
        // a delivery alice signed for another server, replayed here with that server's Host
        String follow = alice.follow(alice.id() + "/follows/1");
        alice.post(INBOX, follow, alice.sign(INBOX, follow, clock.instant(), "other.example"), "other.example")
                .statusCode(401).contentType("application/problem+json");
        assertNothingStored();
        // signed for this site, behind a proxy that rewrote the Host: accepted
        alice.post(INBOX, follow, alice.sign(INBOX, follow, clock.instant()), "127.0.0.1:8081").statusCode(202);
    }

    @Test
    void shouldRefuseAnActivityIdOnAnotherServer() {
        RemoteActor alice = new RemoteActor(wireMock, "alice");
        cacheKey(alice);
        alice.post(INBOX, alice.follow("https://elsewhere.example/follows/1"), clock.instant())
                .statusCode(400).contentType("application/problem+json").body("violations[0].field", equalTo("id"));
        assertNothingStored();
    }

    @Test
    void shouldRefuseABodyThatIsNotTheOneSigned() {
        RemoteActor alice = new RemoteActor(wireMock, "alice");
        cacheKey(alice);
        RemoteActor.Signed signed = alice.sign(INBOX, alice.follow(alice.id() + "/follows/1"), clock.instant());
        alice.post(INBOX, alice.follow(alice.id() + "/follows/2"), signed)
                .statusCode(401).contentType("application/problem+json")
                .body("detail", containsString("Digest"));
        assertNothingStored();
    }

    @Test
    void shouldRefuseADateOutsideTheWindow() {
        RemoteActor alice = new RemoteActor(wireMock, "alice");
        cacheKey(alice);
        for (Duration off : new Duration[] { Duration.ofMinutes(-61), Duration.ofMinutes(61) }) {
            alice.post(INBOX, alice.follow(alice.id() + "/follows/1"), clock.instant().plus(off))
                    .statusCode(401).contentType("application/problem+json")
                    .body("detail", containsString("window"));
        }
        assertNothingStored();
    }

    @Test
    void shouldRefuseAKeyThatBelongsToAnotherActor() {
        RemoteActor alice = new RemoteActor(wireMock, "alice");
        cacheKey(alice);
        // alice's key, alice's valid signature, but the activity claims to come from bob
        String asBob = new RemoteActor(wireMock, "bob").serve().follow(wireMock.baseUrl() + "/users/bob/follows/1");
        alice.post(INBOX, asBob, clock.instant())
                .statusCode(401).contentType("application/problem+json")
                .body("detail", containsString("not to the activity's actor"));
        assertNothingStored();
    }

    @Test
    void shouldDiscardAnActivityWhoseFetchedKeyBelongsToAnotherActor() {
        // mallory's server names bob as the owner of mallory's key: the key is not bob's to use
        RemoteActor mallory = new RemoteActor(wireMock, "mallory");
        String bob = "https://mastodon.example/users/bob";
        wireMock.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get("/users/mallory").willReturn(
                com.github.tomakehurst.wiremock.client.WireMock.okJson(mallory.document(mallory.keys.getPublic())
                        .replace("\"owner\":\"" + mallory.id() + "\"", "\"owner\":\"" + bob + "\""))));
        String follow = "{\"id\":\"" + bob + "/follows/1\",\"type\":\"Follow\",\"actor\":\"" + bob + "\",\"object\":\""
                + FediverseProfile.ACTOR + "\"}";
        mallory.post(INBOX, follow, clock.instant()).statusCode(202);
        awaitBackground();
        assertNothingStored();
        assertEquals(0, count("select count(*) from fediverse_remote_key"));
    }

    @Test
    void shouldDiscardAnUnverifiedActivityOnceTheKeyIsFetched() {
        RemoteActor alice = new RemoteActor(wireMock, "alice").serve();
        RemoteActor forger = new RemoteActor(wireMock, "alice", RemoteActor.generate());
        forger.post(INBOX, alice.follow(alice.id() + "/follows/1"), clock.instant()).statusCode(202);
        awaitBackground();
        assertNothingStored();
        assertEquals(1, count("select count(*) from fediverse_remote_key"), "the real key is cached");
    }

    @Test
    void shouldDropADeleteOfAnUnknownActorWithoutFetching() {
        RemoteActor gone = new RemoteActor(wireMock, "gone");
        String delete = "{\"id\":\"" + gone.id() + "#delete\",\"type\":\"Delete\",\"actor\":\"" + gone.id()
                + "\",\"object\":\"" + gone.id() + "\"}";
        gone.post(SHARED_INBOX, delete, clock.instant()).statusCode(202);
        awaitBackground();
        assertEquals(0, wireMock.findAll(anyRequestedFor(anyUrl())).size());
        assertNothingStored();
    }

    @Test
    void shouldRefuseUnsignedOversizedMalformedAndMistypedBodies() {
        RemoteActor alice = new RemoteActor(wireMock, "alice");
        cacheKey(alice);
        given().contentType("application/activity+json").body(alice.follow(alice.id() + "/follows/1"))
                .when().post(INBOX)
                .then().statusCode(401).contentType("application/problem+json").body("status", equalTo(401))
                .body("instance", equalTo(INBOX));

        String huge = "{\"id\":\"" + alice.id() + "/notes/1\",\"type\":\"Create\",\"actor\":\"" + alice.id()
                + "\",\"content\":\"" + "x".repeat(1024 * 1024) + "\"}";
        alice.post(SHARED_INBOX, huge, clock.instant()).statusCode(413).contentType("application/problem+json");

        alice.post(INBOX, "{\"id\": \"x\", \"type\": ", clock.instant())
                .statusCode(400).contentType("application/problem+json").body("violations[0].field", equalTo("body"));
        alice.post(INBOX, "[1, 2]", clock.instant()).statusCode(400).contentType("application/problem+json");
        alice.post(INBOX, "{\"type\":\"Follow\",\"actor\":\"" + alice.id() + "\"}", clock.instant())
                .statusCode(400).body("violations[0].field", equalTo("id"));
        alice.post(INBOX, "{\"id\":\"x\",\"type\":\"Follow\",\"actor\":\"http:// not a url\"}", clock.instant())
                .statusCode(400).body("violations[0].field", equalTo("actor"));

        given().contentType("text/plain").body(alice.follow(alice.id() + "/follows/1"))
                .when().post(INBOX)
                .then().statusCode(415).contentType("application/problem+json");
        assertNothingStored();
    }
}
