package dev.gazette.digest;

import static dev.gazette.testing.Visitors.SAFARI_IPHONE;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gazette.lifecycle.mail.LifecycleMailJob;
import dev.gazette.lifecycle.reengage.ReengagementMail;
import dev.gazette.lifecycle.reengage.SunsetJob;
import dev.gazette.link.ReaderActivity;
import dev.gazette.subscriber.Frequency;
import dev.gazette.subscriber.Subscriber;
import dev.gazette.subscriber.SubscriberStatus;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.restassured.http.ContentType;

/**
 * Re-engagement with real clicks: two readers inactive for 200 days get the "still want this?" mail; the one who then
 * clicks an article link of a digest in a browser (through the real redirect, past the scanner window) stays; the one
 * whose link only a mail security scanner opened is unsubscribed as inactive on day N.
 */
@io.quarkus.test.junit.QuarkusTest
class ReengagementClickTest extends DigestTestBase {

    private static final Pattern TAGGED = Pattern.compile("http://localhost:8080(/r/[A-Za-z0-9]{10}\\?rt=[A-Za-z0-9_.-]+)");
    private static final String MS_OFFICE = "Mozilla/4.0 (compatible; ms-office; MSOffice 16)";

    @Inject
    ReaderActivity activity;

    @Inject
    ReengagementMail reengagement;

    @Inject
    LifecycleMailJob lifecycleMail;

    @Inject
    SunsetJob sunset;

    private Newsletter newsletter;
    private String token;

    @BeforeEach
    void trackedNewsletter() {
        activity.discard();
        token = fixtures.editorToken();
        worldNews();
        newsletter = daily("world");
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"trackLinks\": true}")
                .when().patch("/api/v1/newsletters/" + newsletter.id).then().statusCode(200);
    }

    @AfterEach
    void emptyQueue() {
        activity.discard();
    }

    private String articleLink(String address) throws Exception {
        Matcher m = TAGGED.matcher(DigestDeliveryTest.text(messageTo(address)));
        assertTrue(m.find(), DigestDeliveryTest.text(messageTo(address)));
        return m.group(1);
    }

    private static SubscriberStatus status(String email) {
        return QuarkusTransaction.requiringNew().call(() -> Subscriber.<Subscriber>find("email", email).firstResult().status);
    }

    @Test
    void aReaderWhoClicksAfterTheMailStaysAndOneOnlyAScannerClickedIsUnsubscribed() throws Exception {
        fixtures.reader("ana@example.org", "UTC", Frequency.DAILY, "world");
        fixtures.reader("ben@example.org", "UTC", Frequency.DAILY, "world");
        QuarkusTransaction.requiringNew().run(() -> Panache.getEntityManager()
                .createNativeQuery("update subscriber set confirmed_at = ?1, created_at = ?1")
                .setParameter(1, clock.instant().minus(Duration.ofDays(200)))
                .executeUpdate());
        long readers = given().auth().oauth2(token).get("/api/v1/newsletters/" + newsletter.id + "/audience")
                .then().statusCode(200).extract().jsonPath().getLong("recipients");
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"expectedRecipients\":" + readers + "}")
                .when().post("/api/v1/newsletters/" + newsletter.id + "/issues").then().statusCode(201);
        sender.sendDue();
        String anaLink = articleLink("ana@example.org");
        String benLink = articleLink("ben@example.org");

        clock.advance(Duration.ofMinutes(1));
        reengagement.save(new ReengagementMail.Policy(true, 180, 14, "Still want {site}?", "Keep: {keepUrl}"));
        assertEquals(2, lifecycleMail.plan());
        assertEquals(2, lifecycleMail.sendDue());

        clock.advance(Duration.ofMinutes(5));
        given().redirects().follow(false).urlEncodingEnabled(false).header("User-Agent", SAFARI_IPHONE).get(anaLink)
                .then().statusCode(302);
        given().redirects().follow(false).urlEncodingEnabled(false).header("User-Agent", MS_OFFICE).get(benLink)
                .then().statusCode(302);
        activity.flush();

        clock.advance(Duration.ofDays(14));
        assertEquals(1, sunset.run());
        assertEquals(SubscriberStatus.ACTIVE, status("ana@example.org"));
        assertEquals(SubscriberStatus.UNSUBSCRIBED, status("ben@example.org"));
    }
}
