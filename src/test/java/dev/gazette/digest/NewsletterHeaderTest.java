package dev.gazette.digest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;

import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gazette.subscriber.Frequency;
import dev.gazette.subscriber.Subscriber;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Values that end up in mail headers: control characters are refused when saved, display names with the characters
 * of address syntax reach the reader exactly, and a value stored before the checks never gives a 500.
 */
@QuarkusTest
class NewsletterHeaderTest extends DigestTestBase {

    private static final String BOSS = "Ann \"The <Boss>\", Inc.";
    private static final String INJECTED = "World\r\nBcc: victim@example.org";

    private String token;
    private Newsletter newsletter;

    @BeforeEach
    void newsletterWithNews() {
        token = fixtures.editorToken();
        worldNews();
        newsletter = daily("world");
    }

    @Test
    void shouldRefuseControlCharactersInEveryHeaderFieldWithTheFieldNamed() {
        Map<String, String> bad = Map.of(
                "name", INJECTED,
                "fromName", "Gazette\nBcc: victim@example.org",
                "fromAddress", "world@news.example.org\r\nBcc: victim@example.org",
                "replyTo", "desk@news.example.org\nBcc: victim@example.org",
                "listId", "world.news\r\n.example.org");
        bad.forEach((field, value) -> patch(Map.of(field, value)).then().statusCode(400)
                .contentType("application/problem+json").body("violations.field", hasItem(field)));
        for (String control : List.of("\u0000", "\u0007", "\u007f", "\u0085", "\u009b", "\t")) {
            patch(Map.of("fromName", "Gazette" + control + "World")).then().statusCode(400)
                    .body("violations.field", hasItem("fromName"));
            patch(Map.of("name", "World" + control + "News")).then().statusCode(400).body("violations.field", hasItem("name"));
        }
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("name", INJECTED, "cadence", "DAILY", "sendTime", "07:00", "fromAddress", "e@news.example.org"))
                .when().post("/api/v1/newsletters")
                .then().statusCode(400).body("violations.field", hasItem("name"));
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("subject", "Today\r\nBcc: victim@example.org", "expectedRecipients", 0))
                .when().post("/api/v1/newsletters/" + newsletter.id + "/issues")
                .then().statusCode(400).contentType("application/problem+json").body("violations[0].field", equalTo("subject"));

        given().auth().oauth2(token).when().get("/api/v1/newsletters/" + newsletter.id)
                .then().statusCode(200).body("name", equalTo("World this morning")).body("fromName", equalTo("Gazette World"));
    }

    @Test
    void shouldSendADisplayNameWithAddressCharactersExactlyAsWritten() throws Exception {
        patch(Map.of("fromName", BOSS)).then().statusCode(200).body("fromName", equalTo(BOSS));

        given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"to\": \"editor@example.org\"}")
                .when().post("/api/v1/newsletters/" + newsletter.id + "/test")
                .then().statusCode(202);
        assertFrom(messageTo("editor@example.org"), BOSS);

        Subscriber reader = fixtures.reader("reader@example.org", "UTC", Frequency.DAILY, "world");
        sendIssue().then().statusCode(201);
        sender.sendDue();
        assertEquals("SENT", delivery(reader.id).status(), delivery(reader.id).lastError());
        assertFrom(messageTo("reader@example.org"), BOSS);

        greenMail.purgeEmailFromAllMailboxes();
        String accents = "Zoë's Café – Ünïcode ~ news";
        patch(Map.of("fromName", accents)).then().statusCode(200);
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"to\": \"editor@example.org\"}")
                .when().post("/api/v1/newsletters/" + newsletter.id + "/test")
                .then().statusCode(202);
        assertFrom(messageTo("editor@example.org"), accents);
    }

    @Test
    void shouldAnswerConflictNotServerErrorForABadValueStoredBeforeTheChecks() throws Exception {
        sql("update newsletter set name = ? where id = ?", INJECTED, newsletter.id);

        given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"to\": \"editor@example.org\"}")
                .when().post("/api/v1/newsletters/" + newsletter.id + "/test")
                .then().statusCode(409).contentType("application/problem+json")
                .body("violations[0].field", equalTo("name")).body("detail", containsString("control characters"));
        given().auth().oauth2(token).when().get("/api/v1/newsletters/" + newsletter.id + "/preview")
                .then().statusCode(409).body("violations[0].field", equalTo("name"));
        assertEquals(0, greenMail.getReceivedMessages().length);

        Subscriber reader = fixtures.reader("reader@example.org", "UTC", Frequency.DAILY, "world");
        sql("update newsletter set name = 'World this morning' where id = ?", newsletter.id);
        long issue = sendIssue().then().statusCode(201).extract().jsonPath().getLong("id");
        sql("update digest_issue set subject = ? where id = ?", INJECTED, issue);
        sender.sendDue();
        Row row = delivery(reader.id);
        assertEquals("FAILED", row.status());
        assertTrue(row.lastError().contains("subject") && row.lastError().contains("control characters"), row.lastError());
        assertEquals(0, greenMail.getReceivedMessages().length);
    }

    private static void assertFrom(MimeMessage message, String name) throws Exception {
        assertEquals(1, message.getFrom().length, String.join(" | ", message.getHeader("From")));
        InternetAddress from = (InternetAddress) message.getFrom()[0];
        assertEquals(name, from.getPersonal());
        assertEquals("world@news.example.org", from.getAddress());
    }

    private io.restassured.response.Response patch(Map<String, String> fields) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(fields)
                .when().patch("/api/v1/newsletters/" + newsletter.id);
    }

    private io.restassured.response.Response sendIssue() {
        long readers = given().auth().oauth2(token).get("/api/v1/newsletters/" + newsletter.id + "/audience")
                .then().statusCode(200).extract().jsonPath().getLong("recipients");
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("expectedRecipients", readers))
                .when().post("/api/v1/newsletters/" + newsletter.id + "/issues");
    }

    private void sql(String statement, Object... parameters) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(statement)) {
            for (int i = 0; i < parameters.length; i++) {
                st.setObject(i + 1, parameters[i]);
            }
            st.executeUpdate();
        }
    }
}
