package dev.gazette.digest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.mail.Multipart;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gazette.article.Article;
import dev.gazette.subscriber.Frequency;
import dev.gazette.subscriber.Subscriber;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * Special editions (fixed clock, real SMTP server): one reaches exactly the readers of the chosen topics, once, with
 * its chosen articles and note; a repeated request sends nothing; one at a local time is due at that time in each
 * reader's zone; its numbering leaves the regular issues' alone.
 */
@QuarkusTest
class SpecialEditionTest extends DigestTestBase {

    private String token;
    private Newsletter newsletter;
    private Article cup;
    private Article markets;

    @BeforeEach
    void readersAndNews() {
        token = fixtures.editorToken();
        worldNews();
        fixtures.topic("Sport", "sport");
        clock.set(Instant.parse("2026-03-02T08:30:00Z"));
        markets = fixtures.published("Markets rally", "Body.", "world");
        cup = fixtures.published("Cup final tonight", "Body.", "sport");
        clock.set(Instant.parse("2026-03-02T09:00:00Z"));
        newsletter = daily("world", "sport");
        fixtures.reader("ana@example.org", "UTC", Frequency.DAILY, "world");
        fixtures.reader("ben@example.org", "UTC", Frequency.DAILY, "sport");
        fixtures.reader("cy@example.org", "UTC", Frequency.WEEKLY);
        fixtures.reader("dee@example.org", "America/New_York", Frequency.DAILY, "world");
    }

    private ValidatableResponse post(String path, Map<String, Object> body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body)
                .post("/api/v1/newsletters/" + newsletter.id + "/special-editions" + path).then();
    }

    private Map<String, Object> edition(Object... more) {
        Map<String, Object> body = new HashMap<>(Map.of("subject", "Cup final: the special", "note",
                "The *whole* final, minute by minute.", "articleIds", List.of(cup.id, markets.id), "topics", List.of("sport")));
        for (int i = 0; i < more.length; i += 2) {
            body.put((String) more[i], more[i + 1]);
        }
        return body;
    }

    @Test
    void aSpecialEditionReachesExactlyTheChosenTopicsReadersOnce() throws Exception {
        post("/audience", edition()).statusCode(200).body("recipients", equalTo(2)).body("number", equalTo(1))
                .body("topics", equalTo(List.of("Sport")));
        post("", edition("expectedRecipients", 2, "expectedNumber", 1)).statusCode(201)
                .body("kind", equalTo("SPECIAL")).body("number", equalTo(1))
                .body("webUrl", equalTo("http://localhost:8080/digests/world-morning/special-1"));
        // the same confirmation again (a double click, a retried request): nothing more is sent
        post("", edition("expectedRecipients", 2, "expectedNumber", 1)).statusCode(409)
                .body("violations[0].field", equalTo("expectedNumber"));
        sender.sendDue();
        sender.sendDue();
        assertEquals(Map.of("ben@example.org", 1, "cy@example.org", 1), copiesByRecipient(), "sport's readers and"
                + " the reader of every topic, once each");

        var message = messageTo("ben@example.org");
        assertEquals("Cup final: the special", message.getSubject());
        String text = ((Multipart) message.getContent()).getBodyPart(0).getContent().toString().replace("\r\n", "\n");
        assertTrue(text.contains("Special edition No. 1"), text);
        assertTrue(text.contains("The *whole* final, minute by minute."), text);
        String items = text.substring(0, text.contains("ALSO READ") ? text.indexOf("ALSO READ") : text.length());
        assertTrue(items.indexOf("Cup final tonight") < items.indexOf("Markets rally"), "the chosen articles, in order: " + items);
        assertFalse(items.contains("Storm reaches the coast"), "nothing but the chosen articles: " + items);

        given().get("/digests/world-morning/special-1").then().statusCode(200)
                .body(containsString("Special edition No. 1")).body(containsString("<em>whole</em>"))
                .body(containsString("Cup final tonight"));
        // the regular numbering is untouched
        given().auth().oauth2(token).get("/api/v1/newsletters/" + newsletter.id + "/next-issue").then().statusCode(200)
                .body("number", equalTo(1));
        given().auth().oauth2(token).get("/api/v1/newsletters/" + newsletter.id + "/issues").then().statusCode(200)
                .body("kind", hasItem("SPECIAL"));
    }

    @Test
    void anEditionAtALocalTimeIsDueThenInEachReadersZone() throws Exception {
        post("", edition("topics", List.of(), "localTime", "2026-03-02T18:00", "expectedRecipients", 4)).statusCode(201);
        Map<Long, Instant> due = new HashMap<>();
        deliveries().forEach(r -> due.put(r.subscriberId(), r.dueAt()));
        assertEquals(Instant.parse("2026-03-02T18:00:00Z"), due.get(reader("ana@example.org").id));
        assertEquals(Instant.parse("2026-03-02T23:00:00Z"), due.get(reader("dee@example.org").id), "18:00 in New York");
        sender.sendDue();
        assertEquals(0, greenMail.getReceivedMessages().length, "not before its time");
    }

    private static Subscriber reader(String email) {
        return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew()
                .call(() -> Subscriber.<Subscriber>find("email", email).firstResult());
    }

    @Test
    void aBadEditionIsRefusedNamingTheFieldAndNothingIsSent() throws Exception {
        Article draft = fixtures.draft("Not yet", "Body.", "sport");
        post("", edition("articleIds", List.of(), "expectedRecipients", 2)).statusCode(400)
                .body("violations.field", hasItem("articleIds"));
        post("", edition("articleIds", List.of(draft.id), "expectedRecipients", 2)).statusCode(400)
                .body("violations[0].message", containsString("(Not yet) is not published"));
        post("", edition("subject", "", "expectedRecipients", 2)).statusCode(400).body("violations.field", hasItem("subject"));
        post("", edition("topics", List.of("gardening"), "expectedRecipients", 2)).statusCode(400)
                .body("violations[0].message", equalTo("there is no topic gardening"));
        post("", edition("localTime", "2026-03-01T07:00", "expectedRecipients", 2)).statusCode(400)
                .body("violations[0].field", equalTo("localTime"));
        post("", edition()).statusCode(400).body("violations[0].field", equalTo("expectedRecipients"));
        post("", edition("expectedRecipients", 5)).statusCode(409).body("violations[0].field", equalTo("expectedRecipients"))
                .body("violations[0].message", containsString("would now go to 2 readers"));
        assertEquals(List.of(), deliveries());
    }
}
