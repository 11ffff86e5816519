package dev.gazette.fediverse;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.interfaces.RSAPublicKey;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.gazette.testing.GazetteTest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * The publication's actor as Mastodon fetches it (unsigned, with an ActivityPub Accept), its collections, and what a
 * browser or an early sender gets.
 */
@QuarkusTest
@TestProfile(FediverseProfile.class)
class PublicationActorTest extends GazetteTest {

    @Inject
    ActorKeys keys;

    @Test
    void shouldServeTheActorAsMastodonReadsIt() {
        JsonPath actor = given().accept(FediverseProfile.MASTODON_ACCEPT)
                .when().get("/ap/actor")
                .then().statusCode(200)
                .contentType("application/activity+json")
                .header("Vary", containsString("Accept"))
                .extract().jsonPath();

        assertEquals(List.of("https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"),
                actor.getList("'@context'").subList(0, 2));
        assertEquals("toot:discoverable", actor.getString("'@context'[2].discoverable"));
        assertEquals(FediverseProfile.ACTOR, actor.getString("id"));
        assertEquals("Person", actor.getString("type"));
        assertEquals("news", actor.getString("preferredUsername"));
        assertEquals("Gazette", actor.getString("name"));
        assertEquals("<p>News and stories, delivered the way you like.</p>", actor.getString("summary"));
        assertEquals("https://news.example.org/", actor.getString("url"));
        assertEquals(FediverseProfile.ACTOR + "/inbox", actor.getString("inbox"));
        assertEquals(FediverseProfile.ACTOR + "/outbox", actor.getString("outbox"));
        assertEquals(FediverseProfile.ACTOR + "/followers", actor.getString("followers"));
        assertEquals(FediverseProfile.ACTOR + "/following", actor.getString("following"));
        assertEquals("https://news.example.org/ap/inbox", actor.getString("endpoints.sharedInbox"));
        assertEquals(false, actor.getBoolean("manuallyApprovesFollowers"));
        assertEquals(true, actor.getBoolean("discoverable"));
        assertEquals("Image", actor.getString("icon.type"));
        assertEquals(FediverseProfile.ICON, actor.getString("icon.url"));
        assertEquals("image/png", actor.getString("icon.mediaType"));
        assertEquals(FediverseProfile.ACTOR + "#main-key", actor.getString("publicKey.id"));
        assertEquals(FediverseProfile.ACTOR, actor.getString("publicKey.owner"));

        String pem = actor.getString("publicKey.publicKeyPem");
        assertEquals(keys.current(ActorKeys.PUBLICATION).publicKeyPem(), pem);
        assertTrue(pem.startsWith("-----BEGIN PUBLIC KEY-----\n") && pem.endsWith("-----END PUBLIC KEY-----\n"), pem);
        assertEquals(2048, ((RSAPublicKey) ActorKeys.publicKey(pem)).getModulus().bitLength());
    }

    @Test
    void shouldServeTheSameActorForTheLdJsonProfileAndKeepItsKey() {
        String first = given().accept("application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"")
                .when().get("/ap/actor")
                .then().statusCode(200).contentType("application/activity+json")
                .body("id", equalTo(FediverseProfile.ACTOR))
                .extract().path("publicKey.publicKeyPem");
        String again = given().accept("application/activity+json").when().get("/ap/actor")
                .then().statusCode(200).extract().path("publicKey.publicKeyPem");
        assertEquals(first, again);
    }

    @Test
    void shouldSendBrowsersToTheFrontPage() {
        given().redirects().follow(false)
                .accept("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
                .when().get("/ap/actor")
                .then().statusCode(303)
                .header("Location", "https://news.example.org/")
                .header("Vary", containsString("Accept"));
    }

    @Test
    void shouldListPublishedArticlesInTheOutboxNewestFirst() {
        fixtures.topic("Climate", "climate");
        fixtures.published("Oldest", "One.", "climate");
        clock.advance(java.time.Duration.ofHours(1));
        fixtures.published("Middle", "Two.");
        clock.advance(java.time.Duration.ofHours(1));
        fixtures.published("Newest", "Three.");
        fixtures.draft("Draft", "Not public.");

        given().when().get("/ap/actor/outbox")
                .then().statusCode(200).contentType("application/activity+json")
                .body("type", equalTo("OrderedCollection"))
                .body("id", equalTo(FediverseProfile.ACTOR + "/outbox"))
                .body("totalItems", equalTo(3))
                .body("first", equalTo(FediverseProfile.ACTOR + "/outbox?page=1"))
                .body("last", equalTo(FediverseProfile.ACTOR + "/outbox?page=2"));

        JsonPath page = given().queryParam("page", 1).when().get("/ap/actor/outbox")
                .then().statusCode(200).contentType("application/activity+json")
                .body("type", equalTo("OrderedCollectionPage"))
                .body("partOf", equalTo(FediverseProfile.ACTOR + "/outbox"))
                .body("orderedItems", hasSize(2))
                .body("next", equalTo(FediverseProfile.ACTOR + "/outbox?page=2"))
                .body("prev", nullValue())
                .extract().jsonPath();
        assertEquals("Create", page.getString("orderedItems[0].type"));
        assertEquals(FediverseProfile.ACTOR, page.getString("orderedItems[0].actor"));
        assertEquals("https://news.example.org/articles/newest#create", page.getString("orderedItems[0].id"));
        assertEquals("https://news.example.org/articles/newest", page.getString("orderedItems[0].object.id"));
        assertEquals("Article", page.getString("orderedItems[0].object.type"));
        assertEquals(List.of("https://www.w3.org/ns/activitystreams#Public"), page.getList("orderedItems[0].to"));
        assertEquals("https://news.example.org/articles/middle", page.getString("orderedItems[1].object.id"));

        given().queryParam("page", 2).when().get("/ap/actor/outbox")
                .then().statusCode(200)
                .body("orderedItems", hasSize(1))
                .body("orderedItems[0].object.name", equalTo("Oldest"))
                .body("orderedItems[0].object.tag[0].name", equalTo("#Climate"))
                .body("next", nullValue())
                .body("prev", equalTo(FediverseProfile.ACTOR + "/outbox?page=1"));
    }

    @Test
    void shouldRefuseABadPageNumber() {
        for (String page : new String[] { "0", "-1", "abc", "99999999999" }) {
            given().queryParam("page", page).when().get("/ap/actor/outbox")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("violations[0].field", equalTo("page"));
        }
    }

    @Test
    void shouldShowTheNumberOfFollowersOnly() {
        given().when().get("/ap/actor/followers")
                .then().statusCode(200).contentType("application/activity+json")
                .body("type", equalTo("OrderedCollection"))
                .body("totalItems", equalTo(0))
                .body("first", nullValue());
        given().queryParam("page", 1).when().get("/ap/actor/followers")
                .then().statusCode(200)
                .body("type", equalTo("OrderedCollection"))
                .body("orderedItems", nullValue());
        given().when().get("/ap/actor/following")
                .then().statusCode(200).body("totalItems", equalTo(0));
    }
}
