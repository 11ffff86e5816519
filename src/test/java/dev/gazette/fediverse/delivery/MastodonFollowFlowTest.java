package dev.gazette.fediverse.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.gazette.article.Article;
import dev.gazette.fediverse.FediverseProfile;
import dev.gazette.fediverse.inbox.PendingActivities;
import dev.gazette.fediverse.inbox.RemoteActor;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * The whole round trip with a Mastodon-like server on WireMock, through the real inbox and sender only: its user
 * follows (a signed Follow to the shared inbox), gets a signed Accept, then the next article as a signed Create at the
 * server's shared inbox; after the user's Undo, the following article reaches nobody. Every signature is checked
 * against the key the publication's actor publishes, by the test's own code.
 */
@QuarkusTest
@TestProfile(FediverseProfile.class)
class MastodonFollowFlowTest extends DeliveryTestBase {

    private static final String SHARED_INBOX = "/inbox";

    @Inject
    PendingActivities pending;

    @Inject
    DeliveryPlanner planner;

    @Inject
    DeliverySender sender;

    @Test
    void shouldFollowGetTheAcceptThenEachNewArticleUntilTheUndo() throws Exception {
        RemoteActor alice = new RemoteActor(wireMock, "alice").serve();
        wireMock.stubFor(post(urlEqualTo(alice.inboxPath())).willReturn(aResponse().withStatus(202)));
        wireMock.stubFor(post(urlEqualTo(SHARED_INBOX)).willReturn(aResponse().withStatus(202)));
        String followId = alice.id() + "/follows/7";

        alice.post("/ap/inbox", alice.follow(followId), clock.instant()).statusCode(202);
        awaitInbox();

        List<LoggedRequest> accepts = wireMock.findAll(postRequestedFor(urlEqualTo(alice.inboxPath())));
        assertEquals(1, accepts.size(), "one Accept, to the follower's own inbox");
        assertCavage(accepts.get(0), publicationKey(), "main-key", "post " + alice.inboxPath());
        JsonPath accept = JsonPath.from(accepts.get(0).getBodyAsString());
        assertEquals("Accept", accept.getString("type"));
        assertEquals(FediverseProfile.ACTOR, accept.getString("actor"));
        assertEquals(followId, accept.getString("object.id"));
        assertEquals("Follow", accept.getString("object.type"));

        clock.advance(Duration.ofMinutes(10));
        Article rivers = fixtures.published("Rivers in spring", "Water.");
        planner.plan();
        sender.sendDue();

        List<LoggedRequest> creates = wireMock.findAll(postRequestedFor(urlEqualTo(SHARED_INBOX)));
        assertEquals(1, creates.size(), "the article reached the server's shared inbox once");
        assertCavage(creates.get(0), publicationKey(), "main-key", "post " + SHARED_INBOX);
        JsonPath create = JsonPath.from(creates.get(0).getBodyAsString());
        assertEquals("Create", create.getString("type"));
        assertEquals(FediverseProfile.BASE_URL + "/articles/" + rivers.slug, create.getString("object.id"));
        assertEquals("Rivers in spring", create.getString("object.name"));
        assertEquals(1, wireMock.findAll(postRequestedFor(urlEqualTo(alice.inboxPath()))).size(),
                "nothing but the Accept went to the follower's own inbox");

        alice.post("/ap/inbox", alice.undoFollow(alice.id() + "/follows/7/undo", followId), clock.instant()).statusCode(202);
        awaitInbox();

        clock.advance(Duration.ofMinutes(10));
        fixtures.published("Lakes in winter", "Ice.");
        assertEquals(0, planner.plan(), "nobody follows any more: nothing is planned");
        sender.sendDue();
        assertEquals(1, wireMock.findAll(postRequestedFor(urlEqualTo(SHARED_INBOX))).size(),
                "the article published after the Undo was not delivered");
    }

    private void awaitInbox() {
        assertTrue(pending.awaitIdle(Duration.ofSeconds(20)), "the inbox's background work did not finish");
    }
}
