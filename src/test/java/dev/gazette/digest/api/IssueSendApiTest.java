package dev.gazette.digest.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gazette.digest.Cadence;
import dev.gazette.digest.DigestIssue;
import dev.gazette.digest.Newsletter;
import dev.gazette.digest.NewsletterInput;
import dev.gazette.digest.NewsletterService;
import dev.gazette.subscriber.Frequency;
import dev.gazette.testing.GazetteTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Sending an issue through the API stays scriptable and safe: the script reads the audience, sends the count it expects,
 * and nothing goes out when the count no longer matches or is missing.
 */
@QuarkusTest
class IssueSendApiTest extends GazetteTest {

    @Inject
    NewsletterService newsletters;

    private String token;
    private Newsletter newsletter;

    @BeforeEach
    void data() {
        token = fixtures.editorToken();
        fixtures.topic("World", "world");
        fixtures.topic("Climate", "climate");
        fixtures.published("Storm reaches the coast", "Winds.", "world");
        newsletter = newsletters.create(new NewsletterInput("World this morning", "world-morning", null, List.of("world"),
                Cadence.DAILY, null, "07:00", "Gazette World", "world@news.example.org", null, null, null, null, null, null, null));
        fixtures.reader("ana@example.org", "Europe/Paris", Frequency.DAILY, "world");
        fixtures.reader("bo@example.org", "UTC", Frequency.DAILY);
        fixtures.reader("cy@example.org", "UTC", Frequency.DAILY, "climate");
    }

    private io.restassured.response.Response send(Map<String, Object> body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body)
                .post("/api/v1/newsletters/" + newsletter.id + "/issues");
    }

    @Test
    void shouldSendOnlyWhenTheExpectedRecipientCountMatches() {
        given().auth().oauth2(token).queryParam("subject", "Storm special").get("/api/v1/newsletters/" + newsletter.id + "/audience")
                .then().statusCode(200).body("recipients", equalTo(2)).body("subject", equalTo("Storm special"))
                .body("nextIssueNumber", equalTo(1)).body("newsletterId", equalTo(newsletter.id.intValue()));
        given().auth().oauth2(token).get("/api/v1/newsletters/" + newsletter.id + "/audience")
                .then().statusCode(200).body("subject", equalTo("World this morning"));
        given().auth().oauth2(token).queryParam("sendAt", "tomorrow").get("/api/v1/newsletters/" + newsletter.id + "/audience")
                .then().statusCode(400).body("violations[0].field", equalTo("sendAt"));

        send(Map.of("subject", "Storm special", "expectedRecipients", 3)).then().statusCode(409)
                .contentType("application/problem+json")
                .body("violations[0].field", equalTo("expectedRecipients"))
                .body("detail", containsString("Current count: 2."));
        assertEquals(0, DigestIssue.count(), "nothing is sent when the count does not match");

        send(Map.of("subject", "Storm special", "expectedRecipients", 2)).then().statusCode(201)
                .header("Location", containsString("/api/v1/issues/")).body("total", equalTo(2)).body("subject", equalTo("Storm special"));
        assertEquals(1, DigestIssue.count());
    }

    @Test
    void shouldRefuseASendWithoutTheExpectedRecipientCount() {
        send(Map.of("subject", "Storm special")).then().statusCode(400).contentType("application/problem+json")
                .body("violations.field", hasItem("expectedRecipients"));
        given().auth().oauth2(token).contentType(ContentType.JSON).post("/api/v1/newsletters/" + newsletter.id + "/issues")
                .then().statusCode(400).contentType("application/problem+json");
        send(Map.of("expectedRecipients", -1)).then().statusCode(400).body("violations.field", hasItem("expectedRecipients"));
        assertEquals(0, DigestIssue.count());
    }
}
