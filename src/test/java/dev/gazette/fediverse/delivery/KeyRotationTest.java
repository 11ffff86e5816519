package dev.gazette.fediverse.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import jakarta.inject.Inject;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.gazette.fediverse.ActorKeys;
import dev.gazette.fediverse.FediverseProfile;
import dev.gazette.testing.EditorSession;
import dev.gazette.testing.Fixtures;
import dev.gazette.testing.HtmlValidator;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * An administrator rotates the publication's key: the actor publishes the new key at once, every follower's inbox
 * receives an {@code Update} of the actor signed with the new key (checked here with the JDK against the key the
 * Update carries), and what is delivered afterwards is signed with it too.
 */
@QuarkusTest
@TestProfile(FediverseProfile.class)
class KeyRotationTest extends DeliveryTestBase {

    private static final String SHARED_INBOX = "/inbox";
    private static final String CAROL_INBOX = "/users/carol/inbox";
    private static final String PAGE = "/admin/fediverse/key";
    private static final HtmlValidator HTML = new HtmlValidator();

    @Inject
    KeyRotation rotation;

    @Inject
    ActorKeys keys;

    @Inject
    DeliveryPlanner planner;

    @Inject
    DeliverySender sender;

    private void followers() {
        String second = "http://127.0.0.1:" + wireMock.port();
        follower(wireMock.baseUrl() + "/users/alice", wireMock.baseUrl() + "/users/alice/inbox",
                wireMock.baseUrl() + SHARED_INBOX, clock.instant().minus(Duration.ofHours(1)));
        follower(wireMock.baseUrl() + "/users/bob", wireMock.baseUrl() + "/users/bob/inbox",
                wireMock.baseUrl() + SHARED_INBOX, clock.instant().minus(Duration.ofHours(1)));
        follower(second + "/users/carol", second + CAROL_INBOX, null, clock.instant().minus(Duration.ofHours(1)));
        wireMock.stubFor(post(urlEqualTo(SHARED_INBOX)).willReturn(aResponse().withStatus(202)));
        wireMock.stubFor(post(urlEqualTo(CAROL_INBOX)).willReturn(aResponse().withStatus(202)));
    }

    @Test
    void shouldPublishTheNewKeyAndAnnounceItToEveryFollowersInboxSignedWithIt() throws Exception {
        followers();
        PublicKey old = publicationKey();
        String joined = given().accept("application/activity+json").get("/ap/actor").then().statusCode(200)
                .extract().jsonPath().getString("published");
        clock.advance(Duration.ofDays(30));
        fixtures.admin();
        EditorSession admin = EditorSession.signIn(Fixtures.ADMIN, Fixtures.ADMIN_PASSWORD, PAGE + "/rotate");
        String confirmHtml = admin.page().get(PAGE + "/rotate").then().statusCode(200).extract().asString();
        assertValid(confirmHtml);
        Document confirm = Jsoup.parse(confirmHtml);
        assertTrue(confirm.getElementById("rotate-question").text().contains("main-key is retired"),
                confirm.getElementById("rotate-question").text());
        assertTrue(confirm.getElementById("rotate-question").text().contains("2 inboxes"));

        String location = admin.form().formParam("current", "main-key").post(PAGE + "/rotate").then().statusCode(303)
                .extract().header("Location");
        String pageHtml = admin.page().get(location).then().statusCode(200).extract().asString();
        assertValid(pageHtml);
        Document page = Jsoup.parse(pageHtml);
        assertEquals("The new key key-2 is in use. Its announcement (an Update of the account) goes to 2 inboxes.",
                page.selectFirst("p.notice").text());
        assertEquals("key-2", page.selectFirst("#current-key code").text());
        assertEquals(List.of("main-key"), page.select("#retired-keys tbody td:first-child").eachText());

        JsonPath actor = JsonPath.from(given().accept("application/activity+json").get("/ap/actor").then().statusCode(200)
                .extract().asString());
        assertEquals(FediverseProfile.ACTOR + "#key-2", actor.getString("publicKey.id"));
        PublicKey fresh = rsa(actor.getString("publicKey.publicKeyPem"));
        assertNotEquals(old, fresh);
        assertEquals(joined, actor.getString("published"), "a rotation does not change when the account joined");

        await("the Update at both inboxes", () -> count("select count(*) from fediverse_outbox where status = 'DELIVERED'") == 2);
        for (String inbox : List.of(SHARED_INBOX, CAROL_INBOX)) {
            List<LoggedRequest> received = wireMock.findAll(postRequestedFor(urlEqualTo(inbox)));
            assertEquals(1, received.size(), inbox);
            JsonPath update = JsonPath.from(received.get(0).getBodyAsString());
            assertEquals("Update", update.getString("type"));
            assertEquals(FediverseProfile.ACTOR, update.getString("actor"));
            assertEquals(FediverseProfile.ACTOR, update.getString("object.id"));
            assertEquals("Person", update.getString("object.type"));
            assertEquals(FediverseProfile.ACTOR + "#key-2", update.getString("object.publicKey.id"));
            PublicKey carried = rsa(update.getString("object.publicKey.publicKeyPem"));
            assertEquals(fresh, carried);
            assertCavage(received.get(0), carried, "key-2", "post " + inbox);
            assertThrows(AssertionError.class, () -> assertCavage(received.get(0), old, "key-2", "post " + inbox),
                    "the old key does not verify it");
        }

        wireMock.resetRequests();
        fixtures.published("Rivers in spring", "Water.");
        planner.plan();
        sender.sendDue();
        assertCavage(wireMock.findAll(postRequestedFor(urlEqualTo(SHARED_INBOX))).get(0), fresh, "key-2",
                "post " + SHARED_INBOX);
    }

    @Test
    void shouldNotRotateAgainFromAStaleConfirmationNorLetEditorsRotate() {
        followers();
        fixtures.admin();
        EditorSession admin = EditorSession.signIn(Fixtures.ADMIN, Fixtures.ADMIN_PASSWORD, PAGE + "/rotate");
        admin.form().formParam("current", "main-key").post(PAGE + "/rotate").then().statusCode(303);
        admin.form().formParam("current", "main-key").post(PAGE + "/rotate").then().statusCode(409)
                .body(containsString("The key was rotated in the meantime (it is now key-2); nothing was changed."));
        assertEquals(2, count("select count(*) from fediverse_key"));

        fixtures.editorToken();
        EditorSession editor = EditorSession.signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD, "/admin/articles/new");
        editor.page().get(PAGE).then().statusCode(403);
        editor.form().formParam("current", "key-2").post(PAGE + "/rotate").then().statusCode(403);
        assertEquals(2, count("select count(*) from fediverse_key"));
    }

    @Test
    void shouldLeaveOneCurrentKeyWhenTwoNodesRotateAtOnce() throws Exception {
        publicationKey();
        CountDownLatch retired = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        // the first node has retired the key and made its new one, but not committed yet
        CompletableFuture<Boolean> first = CompletableFuture.supplyAsync(() -> QuarkusTransaction.requiringNew().call(() -> {
            boolean rotated = keys.rotate(ActorKeys.PUBLICATION, null).isPresent();
            retired.countDown();
            commit.await();
            return rotated;
        }));
        retired.await();
        CompletableFuture<Optional<KeyRotation.Rotated>> second = CompletableFuture.supplyAsync(() -> rotation.rotate("tests", null));
        await("the second node to wait on the first one's lock", () -> count(
                "select count(*) from pg_stat_activity where wait_event_type = 'Lock' and query like 'update fediverse_key%'") == 1);
        commit.countDown();

        assertTrue(first.get());
        assertEquals(Optional.empty(), second.get(), "the second finds the key it meant to retire already retired");
        assertEquals(1, count("select count(*) from fediverse_key where retired_at is null"), "one current key");
        assertEquals(2, count("select count(*) from fediverse_key"), "no key left behind by the one that lost");
        assertEquals(FediverseProfile.ACTOR + "#key-2", given().accept("application/activity+json").get("/ap/actor")
                .then().statusCode(200).extract().path("publicKey.id"));
    }

    private static void assertValid(String page) {
        // htmx's attributes (hx-headers on every editor page's body) are not HTML5's own; everything else must be valid
        assertEquals(List.of(), HTML.errors(page).stream().filter(e -> !e.contains("“hx-")).toList(), "valid HTML5");
    }
}
