package dev.gazette.fediverse.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.gazette.article.Article;
import dev.gazette.article.ArticleInput;
import dev.gazette.fediverse.FediverseProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * Deliveries start by themselves once an article is published through the API, and one run sends a fan-out larger than
 * a batch.
 */
@QuarkusTest
@TestProfile(FediverseProfile.class)
class PromptDeliveryTest extends DeliveryTestBase {

    private static final String SHARED_INBOX = "/inbox";

    @Inject
    DeliveryRuns runs;

    @Inject
    DeliveryPlanner planner;

    @Inject
    DeliverySender sender;

    @AfterEach
    void quiet() throws InterruptedException {
        runs.deliverOnPublish(false);
        await("the delivery run to end", () -> !runs.busy());
    }

    @Test
    void shouldDeliverTheCreateShortlyAfterPublishingWithoutWaitingForTheSchedule() throws Exception {
        follower(wireMock.baseUrl() + "/users/alice", wireMock.baseUrl() + "/users/alice/inbox",
                wireMock.baseUrl() + SHARED_INBOX, clock.instant().minus(Duration.ofHours(1)));
        wireMock.stubFor(post(urlEqualTo(SHARED_INBOX)).willReturn(aResponse().withStatus(202)));
        runs.deliverOnPublish(true);
        String token = fixtures.editorToken();
        long id = given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"title\": \"Rivers in spring\", \"body\": \"Water.\"}")
                .when().post("/api/v1/articles").then().statusCode(201).extract().jsonPath().getLong("id");

        given().auth().oauth2(token).when().post("/api/v1/articles/" + id + "/publish").then().statusCode(200);

        await("the Create at the follower's inbox",
                () -> wireMock.findAll(postRequestedFor(urlEqualTo(SHARED_INBOX))).size() == 1);
        LoggedRequest create = wireMock.findAll(postRequestedFor(urlEqualTo(SHARED_INBOX))).get(0);
        JsonPath body = JsonPath.from(create.getBodyAsString());
        assertEquals("Create", body.getString("type"));
        assertEquals(FediverseProfile.BASE_URL + "/articles/rivers-in-spring", body.getString("object.id"));
        assertCavage(create, publicationKey(), "main-key", "post " + SHARED_INBOX);
        await("the delivery settled", () -> count("select count(*) from fediverse_delivery where status = 'DELIVERED'") == 1);
    }

    @Test
    void shouldCoalesceChangesMadeDuringARunIntoOneMoreRun() throws Exception {
        follower(wireMock.baseUrl() + "/users/alice", wireMock.baseUrl() + "/users/alice/inbox",
                wireMock.baseUrl() + SHARED_INBOX, clock.instant().minus(Duration.ofHours(1)));
        // a slow server keeps the first run busy while the editor saves twenty times
        wireMock.stubFor(post(urlEqualTo(SHARED_INBOX)).willReturn(aResponse().withStatus(202).withFixedDelay(3000)));
        runs.deliverOnPublish(true);
        int before = runs.started();
        Article rivers = fixtures.published("Rivers in spring", "Water.");
        for (int i = 1; i <= 20; i++) {
            fixtures.articles().update(rivers.id, new ArticleInput("Rivers in spring, take " + i, null, null, null, null,
                    null, null, null, null, null, null, null, null));
        }
        await("the runs to end", () -> !runs.busy() && count("select count(*) from fediverse_delivery where status = 'DELIVERED'") == 1);

        assertEquals(2, runs.started() - before, "the publication's run, and one more for the twenty edits made during it");
        assertEquals(1, wireMock.findAll(postRequestedFor(urlEqualTo(SHARED_INBOX))).size());
    }

    @Test
    void shouldSendEveryDueDeliveryInOneRunEvenBeyondOneHostBatch() throws InterruptedException {
        int inboxes = DeliverySender.HOST_BATCH * 3 + 5;
        for (int i = 0; i < inboxes; i++) {
            // distinct inboxes on the one WireMock host, like a server with one inbox per follower
            follower(wireMock.baseUrl() + "/users/u" + i, wireMock.baseUrl() + "/users/u" + i + "/inbox", null,
                    clock.instant().minus(Duration.ofHours(1)));
        }
        wireMock.stubFor(post(urlPathMatching("/users/u[0-9]+/inbox")).willReturn(aResponse().withStatus(202)));
        fixtures.published("Rivers in spring", "Water.");

        assertEquals(inboxes, planner.plan());
        assertEquals(inboxes, sender.sendDue());

        List<LoggedRequest> posts = wireMock.findAll(postRequestedFor(urlPathMatching("/users/u[0-9]+/inbox")));
        Set<String> reached = new HashSet<>();
        posts.forEach(p -> reached.add(p.getUrl()));
        assertEquals(inboxes, posts.size());
        assertEquals(inboxes, reached.size(), "each inbox once");
        assertEquals(inboxes, count("select count(*) from fediverse_delivery where status = 'DELIVERED'"));
    }
}
