package dev.gazette.fediverse.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.gazette.article.Article;
import dev.gazette.fediverse.FediverseProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * What the planner makes of followers it did not write itself: an inbox no delivery can go to must not keep the
 * others from theirs.
 */
@QuarkusTest
@TestProfile(FediverseProfile.class)
class PlanningTest extends DeliveryTestBase {

    private static final String SHARED_INBOX = "/inbox";

    @Inject
    DeliveryPlanner planner;

    @Inject
    DeliverySender sender;

    private void alice() {
        follower(wireMock.baseUrl() + "/users/alice", wireMock.baseUrl() + "/users/alice/inbox",
                wireMock.baseUrl() + SHARED_INBOX, clock.instant().minus(Duration.ofHours(1)));
        wireMock.stubFor(post(urlEqualTo(SHARED_INBOX)).willReturn(aResponse().withStatus(202)));
    }

    private Article publishedAndDelivered() {
        alice();
        Article rivers = fixtures.published("Rivers in spring", "Water.");
        deliver();
        return rivers;
    }

    private void deliver() {
        planner.plan();
        sender.sendDue();
        clock.advance(Duration.ofMinutes(5));
    }

    private List<JsonPath> received() {
        return wireMock.findAll(postRequestedFor(urlEqualTo(SHARED_INBOX))).stream()
                .map(r -> JsonPath.from(r.getBodyAsString())).toList();
    }

    @Test
    void shouldPlanForTheOtherFollowersWhenOneInboxCannotBeDeliveredTo() {
        alice();
        String port = String.valueOf(wireMock.port());
        Instant followedAt = Instant.parse("2000-01-01T00:00:00Z");
        // written as a remote server could make them: a host longer than the ledger's column, a user name in the
        // address (longer than a host may be), a scheme in capitals, and no http at all
        follower("https://long.example/users/bob", "https://" + "h".repeat(300) + ".example/inbox", null,
                followedAt);
        follower("http://localhost:" + port + "/users/dave", "http://" + "u".repeat(300) + "@LocalHost:" + port
                + "/users/dave/inbox", null, followedAt);
        follower("http://localhost:" + port + "/users/erin", "HTTP://LOCALHOST:" + port + "/users/erin/inbox", null,
                followedAt);
        follower("https://odd.example/users/frank", "ftp://odd.example/users/frank/inbox", null,
                followedAt);
        Article rivers = fixtures.published("Rivers in spring", "Water.");

        assertEquals(3, planner.plan(), "alice's shared inbox, dave's and erin's; none for bob and frank");
        assertEquals(3, count("select count(*) from fediverse_delivery where host = 'localhost:" + port + "'"),
                "the host is the inbox's, in lower case, without the user name");
        sender.sendDue();

        List<JsonPath> received = received();
        assertEquals(1, received.size());
        assertEquals(FediverseProfile.BASE_URL + "/articles/" + rivers.slug + "#create", received.get(0).getString("id"));
    }
}
