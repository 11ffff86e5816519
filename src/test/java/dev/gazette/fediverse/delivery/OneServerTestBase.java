package dev.gazette.fediverse.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import dev.gazette.article.Article;
import io.restassured.path.json.JsonPath;

/**
 * Delivery tests around one follower, alice, on one server (WireMock) that has a shared inbox: what the planner and the
 * sender make of an article's changes there, one run at a time.
 */
abstract class OneServerTestBase extends DeliveryTestBase {

    static final String SHARED_INBOX = "/inbox";

    @Inject
    DeliveryPlanner planner;

    @Inject
    DeliverySender sender;

    /** alice follows, since an hour ago; her server's shared inbox answers 202. */
    void alice() {
        follower(wireMock.baseUrl() + "/users/alice", wireMock.baseUrl() + "/users/alice/inbox",
                wireMock.baseUrl() + SHARED_INBOX, clock.instant().minus(Duration.ofHours(1)));
        wireMock.stubFor(post(urlEqualTo(SHARED_INBOX)).willReturn(aResponse().withStatus(202)));
    }

    /** alice follows, and an article is published and delivered to her server. */
    Article publishedAndDelivered() {
        alice();
        Article rivers = fixtures.published("Rivers in spring", "Water.");
        deliver();
        return rivers;
    }

    /** One delivery run, then five minutes pass. */
    void deliver() {
        planner.plan();
        sender.sendDue();
        clock.advance(Duration.ofMinutes(5));
    }

    /** The activities the server received, in order. */
    List<JsonPath> received() {
        return wireMock.findAll(postRequestedFor(urlEqualTo(SHARED_INBOX))).stream()
                .map(r -> JsonPath.from(r.getBodyAsString())).toList();
    }
}
