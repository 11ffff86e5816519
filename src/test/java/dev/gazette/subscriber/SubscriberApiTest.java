package dev.gazette.subscriber;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gazette.testing.GazetteTest;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

@QuarkusTest
class SubscriberApiTest extends GazetteTest {

    @Inject
    PendingPurgeJob purge;

    private String token;

    @BeforeEach
    void editor() {
        token = fixtures.editorToken();
        fixtures.topic("Climate", "climate");
        fixtures.topic("Cities", "cities");
    }

    private RequestSpecification api() {
        return given().auth().oauth2(token).contentType(ContentType.JSON);
    }

    @Test
    void shouldSearchCountAndShowHistory() {
        fixtures.activeSubscriber("alice@example.org");
        fixtures.activeSubscriber("bob@example.org");
        SubscribeFlowTest.subscribe("carol@example.org", "topics", "cities", "ref", "Link12345", "utm_source", "bluesky");

        api().when().get("/api/v1/subscribers").then().statusCode(200).body("items", hasSize(3));
        api().queryParam("email", "AL").when().get("/api/v1/subscribers").then()
                .body("items.email", contains("alice@example.org"));
        api().queryParam("status", "PENDING").when().get("/api/v1/subscribers").then()
                .body("items.email", contains("carol@example.org"));
        api().queryParam("source", "Link12345").when().get("/api/v1/subscribers").then()
                .body("items.email", contains("carol@example.org"));
        api().queryParam("source", "BLUESKY").when().get("/api/v1/subscribers").then()
                .body("items.email", contains("carol@example.org"));
        api().queryParam("topic", "cities").when().get("/api/v1/subscribers").then().body("items", hasSize(3));
        api().queryParam("limit", 2).when().get("/api/v1/subscribers").then()
                .body("items", hasSize(2)).body("nextCursor", org.hamcrest.Matchers.notNullValue());

        api().when().get("/api/v1/subscribers/counts").then().statusCode(200)
                .body("byStatus.ACTIVE", equalTo(2)).body("byStatus.PENDING", equalTo(1))
                .body("activeByTopic.climate", equalTo(2)).body("activeFollowingAllTopics", equalTo(2));

        long carol = SubscribeFlowTest.subscriber("carol@example.org").id;
        api().when().get("/api/v1/subscribers/" + carol).then().statusCode(200)
                .body("source.trackedLink", equalTo("Link12345"))
                .body("history.type", contains("SUBSCRIBED", "CONFIRMATION_SENT"));
        api().when().get("/api/v1/subscribers/99999").then().statusCode(404);
    }

    @Test
    void shouldEraseButKeepTheAddressSuppressed() {
        long id = fixtures.activeSubscriber("gone@example.org").id;
        api().when().get("/api/v1/subscribers/" + id + "/export").then().statusCode(200)
                .body("email", equalTo("gone@example.org"));
        api().when().delete("/api/v1/subscribers/" + id).then().statusCode(204);
        assertNull(SubscribeFlowTest.subscriber("gone@example.org"));
        api().when().get("/api/v1/suppressions").then().body("[0].reason", equalTo("ERASED")).body("[0].email", nullValue());

        String csv = "email,name\ngone@example.org,Gone Again\nnew@example.org,New\n";
        long importId = ImportTest.runImport(token, csv, false);
        api().when().get("/api/v1/subscribers/imports/" + importId).then()
                .body("created", equalTo(1)).body("skipped", equalTo(1));
        assertNull(SubscribeFlowTest.subscriber("gone@example.org"));
    }

    @Test
    void shouldManageSuppressions() {
        fixtures.activeSubscriber("bouncy@example.org");
        int id = api().body("{\"email\": \"Bouncy@Example.org\", \"reason\": \"HARD_BOUNCE\", \"note\": \"550 5.1.1\"}")
                .when().post("/api/v1/suppressions").then().statusCode(201).extract().path("id");
        assertEquals(SubscriberStatus.BOUNCED, SubscribeFlowTest.subscriber("bouncy@example.org").status);
        api().body("{\"email\": \"x@example.org\", \"reason\": \"UNSUBSCRIBED\"}").when().post("/api/v1/suppressions")
                .then().statusCode(400).body("violations[0].field", equalTo("reason"));
        api().body("{\"email\": \"nope\", \"reason\": \"BLOCKED\"}").when().post("/api/v1/suppressions")
                .then().statusCode(400).body("violations[0].field", equalTo("email"));

        api().when().delete("/api/v1/suppressions/" + id).then().statusCode(204);
        assertEquals(SubscriberStatus.ACTIVE, SubscribeFlowTest.subscriber("bouncy@example.org").status);

        long unsub = fixtures.activeSubscriber("left@example.org").id;
        api().when().post("/api/v1/subscribers/" + unsub + "/unsubscribe").then().statusCode(204);
        int unsubId = api().when().get("/api/v1/suppressions").then().extract().path("find { it.email == 'left@example.org' }.id");
        api().when().delete("/api/v1/suppressions/" + unsubId).then().statusCode(409);
    }

    @Test
    void shouldPurgeUnconfirmedSubscriptionsAfterTheirTime() {
        SubscribeFlowTest.subscribe("never@example.org");
        fixtures.activeSubscriber("kept@example.org");
        clock.advance(Duration.ofDays(13));
        assertEquals(0, purge.purge());
        clock.advance(Duration.ofDays(2));
        assertEquals(1, purge.purge());
        assertNull(SubscribeFlowTest.subscriber("never@example.org"));
        assertTrue(SubscribeFlowTest.subscriber("kept@example.org") != null);
    }
}
