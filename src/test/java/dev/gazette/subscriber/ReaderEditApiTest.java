package dev.gazette.subscriber;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gazette.testing.GazetteTest;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Readers added and edited by hand through the editor API: 201 with Location, the history entry with the editor's
 * name, and problem+json naming the field for bad input and known addresses.
 */
@QuarkusTest
class ReaderEditApiTest extends GazetteTest {

    private String token;

    @BeforeEach
    void editor() {
        token = fixtures.editorToken();
        fixtures.topic("Climate", "climate");
        fixtures.topic("Cities", "cities");
    }

    @Test
    void shouldAddThenEditAReaderRecordingTheEditor() {
        String location = given().auth().oauth2(token).contentType("application/json").body("""
                {"email": "pat@example.org", "topics": ["climate"], "frequency": "daily", "timezone": "Europe/Paris",
                 "consentMethod": "PAPER_FORM", "consentNote": "fair stand", "confirmed": true}""")
                .when().post("/api/v1/subscribers").then().statusCode(201)
                .header("Location", containsString("/api/v1/subscribers/"))
                .body("status", equalTo("ACTIVE")).body("consentSource", equalTo("EDITOR"))
                .body("source.label", equalTo("signed a paper form: fair stand"))
                .body("history[0].type", equalTo("ADDED_BY_EDITOR")).extract().header("Location");
        long id = Long.parseLong(location.substring(location.lastIndexOf('/') + 1));

        given().auth().oauth2(token).contentType("application/json").body("""
                {"topics": ["cities"], "frequency": "weekly", "timezone": "Europe/Paris"}""")
                .when().put("/api/v1/subscribers/" + id + "/preferences").then().statusCode(200)
                .body("topics", equalTo(java.util.List.of("cities"))).body("frequency", equalTo("WEEKLY"))
                .body("history[1].type", equalTo("EDITED"))
                .body("history[1].detail", equalTo("Edited by editor: topics climate → cities, frequency daily → weekly"));
    }

    @Test
    void shouldAnswerProblemsNamingTheField() {
        fixtures.activeSubscriber("known@example.org");
        given().auth().oauth2(token).contentType("application/json").body("""
                {"email": "known@example.org", "allTopics": true, "frequency": "weekly", "timezone": "UTC",
                 "consentMethod": "IN_PERSON"}""")
                .when().post("/api/v1/subscribers").then().statusCode(409).contentType("application/problem+json")
                .body("violations[0].field", equalTo("email"));
        given().auth().oauth2(token).contentType("application/json").body("""
                {"email": "new@example.org", "allTopics": true, "frequency": "weekly", "timezone": "Mars/Olympus",
                 "consentMethod": "IN_PERSON"}""")
                .when().post("/api/v1/subscribers").then().statusCode(400).contentType("application/problem+json")
                .body("violations[0].field", equalTo("timezone"));
        given().auth().oauth2(token).contentType("application/json").body("""
                {"allTopics": true, "frequency": "hourly", "timezone": "UTC"}""")
                .when().put("/api/v1/subscribers/999999/preferences").then().statusCode(400)
                .body("violations[0].field", equalTo("frequency"));
        given().auth().oauth2(token).contentType("application/json").body("""
                {"allTopics": true, "frequency": "daily", "timezone": "UTC"}""")
                .when().put("/api/v1/subscribers/999999/preferences").then().statusCode(404)
                .header("Content-Type", endsWith("problem+json"));
        assertEquals(1L, (long) io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> Subscriber.count()));
    }
}
