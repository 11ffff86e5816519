package dev.gazette.fediverse.inbox;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

import dev.gazette.article.Article;
import dev.gazette.fediverse.FediverseProfile;
import dev.gazette.fediverse.delivery.DeliveryPlanner;
import dev.gazette.fediverse.delivery.DeliverySender;
import dev.gazette.testing.EditorSession;
import dev.gazette.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * The editors' fediverse numbers from what the real inbox and sender write: a Mastodon-like server follows on one day,
 * gets the next day's article at its shared inbox and replies to it; the stats API and the fediverse page count each
 * on its day.
 */
@QuarkusTest
@TestProfile(FediverseProfile.class)
class FediverseNumbersFlowTest extends InboxTestBase {

    @Inject
    DeliveryPlanner planner;

    @Inject
    DeliverySender sender;

    @Test
    void shouldCountTheFollowTheDeliveryAndTheReplyOnTheirDays() {
        String token = fixtures.editorToken();
        RemoteActor alice = new RemoteActor(wireMock, "alice").serve();
        wireMock.stubFor(post(urlEqualTo(alice.inboxPath())).willReturn(aResponse().withStatus(202)));
        wireMock.stubFor(post(urlEqualTo("/inbox")).willReturn(aResponse().withStatus(202)));

        alice.post(SHARED_INBOX, alice.follow(alice.id() + "/follows/1"), clock.instant()).statusCode(202);
        awaitBackground();
        assertEquals(1, count("select count(*) from fediverse_follower"));

        clock.advance(Duration.ofDays(1));
        Article rivers = fixtures.published("Rivers in spring", "Water.");
        planner.plan();
        sender.sendDue();
        assertEquals(1, wireMock.findAll(postRequestedFor(urlEqualTo("/inbox"))).size(), "the Create reached the shared inbox");

        String note = alice.id() + "/statuses/1";
        String reply = """
                {"@context":"https://www.w3.org/ns/activitystreams","id":"%1$s/activity","type":"Create","actor":"%2$s",
                 "object":{"id":"%1$s","type":"Note","attributedTo":"%2$s","inReplyTo":"%3$s","content":"<p>Lovely</p>",
                  "published":"%4$s","to":["https://www.w3.org/ns/activitystreams#Public"]}}"""
                .formatted(note, alice.id(), FediverseProfile.BASE_URL + "/articles/" + rivers.slug, clock.instant());
        alice.post(SHARED_INBOX, reply, clock.instant()).statusCode(202);
        awaitBackground();

        JsonPath stats = io.restassured.RestAssured.given().auth().oauth2(token).when()
                .get("/api/v1/stats/fediverse?from=2026-03-02&to=2026-03-03").then().statusCode(200).extract().jsonPath();
        assertEquals(1, stats.getInt("currentFollowers"));
        assertEquals(List.of(1, 0), stats.getList("days.newFollowers"));
        assertEquals(List.of(0, 1), stats.getList("days.delivered"));
        assertEquals(List.of(0, 1), stats.getList("days.replies"));
        assertEquals(1, stats.getInt("total.articlesDelivered"));
        assertEquals(0, stats.getInt("total.failed"));

        EditorSession editor = EditorSession.signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD, "/admin/fediverse");
        Document page = Jsoup.parse(editor.page().get("/admin/fediverse").then().statusCode(200).extract().asString());
        Element follower = page.selectFirst("#followers-table tbody tr");
        assertEquals(alice.id(), follower.selectFirst("a").attr("href"));
        assertEquals("localhost", follower.select("td").get(1).text());
        assertEquals(Instant.parse("2026-03-02T09:00:00Z").toString(), follower.selectFirst("time").attr("datetime"));
        assertEquals("1 delivered", page.getElementById("delivered-count").text());
        Element article = page.selectFirst("#articles-table tbody tr");
        assertEquals("1 / 1", article.select("td").get(1).text());
        assertEquals("100", article.selectFirst("progress").attr("value"));
        assertEquals("Replies (1 waiting for moderation)", page.getElementById("replies-link").text());
    }
}
