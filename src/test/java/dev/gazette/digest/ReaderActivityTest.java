package dev.gazette.digest;

import static dev.gazette.testing.Visitors.CHROME;
import static dev.gazette.testing.Visitors.SAFARI_IPHONE;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.mail.Multipart;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gazette.article.Article;
import dev.gazette.link.ReaderActivity;
import dev.gazette.subscriber.Frequency;
import dev.gazette.subscriber.Subscriber;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Readers' clicks as activity, end to end: the digest a reader receives carries their token on every tracked link (the
 * web copy carries none); a browser's click through the real redirect after the scanner window moves the reader's
 * {@code last_active_at}; a link scanner, a bot, a HEAD request, a click on delivery and a tampered token do not, and
 * every one of them still lands on the link's stored target, without the token.
 */
@io.quarkus.test.junit.QuarkusTest
class ReaderActivityTest extends DigestTestBase {

    private static final Pattern TAGGED = Pattern.compile("http://localhost:8080(/r/[A-Za-z0-9]{10})\\?rt=([A-Za-z0-9_.-]+)");
    private static final Pattern ANY_TRACKED = Pattern.compile("http://localhost:8080/r/[A-Za-z0-9]{10}");
    /** Microsoft Office checking a link before it opens it, as Outlook's link protection does. */
    private static final String MS_OFFICE = "Mozilla/4.0 (compatible; ms-office; MSOffice 16)";
    private static final String BARRACUDA = "Mozilla/5.0 (compatible; Barracuda Sentinel (EE))";
    private static final Instant SENT = Instant.parse("2026-03-02T09:00:00Z");
    private static final Duration PAST_SCANNER_WINDOW = Duration.ofMinutes(5);

    @Inject
    ReaderActivity activity;

    private String token;
    private Newsletter newsletter;

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

    private void sendNow() throws Exception {
        long readers = given().auth().oauth2(token).get("/api/v1/newsletters/" + newsletter.id + "/audience")
                .then().statusCode(200).extract().jsonPath().getLong("recipients");
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"expectedRecipients\":" + readers + "}")
                .when().post("/api/v1/newsletters/" + newsletter.id + "/issues").then().statusCode(201);
        sender.sendDue();
    }

    /** The tagged links of the received digest's text part: the path and the token, in order. */
    private List<String[]> taggedLinks(String address) throws Exception {
        List<String[]> links = new ArrayList<>();
        Matcher m = TAGGED.matcher(DigestDeliveryTest.text(messageTo(address)));
        while (m.find()) {
            links.add(new String[] {m.group(1), m.group(2)});
        }
        assertFalse(links.isEmpty(), DigestDeliveryTest.text(messageTo(address)));
        return links;
    }

    private Response follow(String path, String userAgent) {
        return given().redirects().follow(false).urlEncodingEnabled(false).header("User-Agent", userAgent)
                .when().get(path).then().statusCode(302).extract().response();
    }

    private Instant lastActiveAt(long readerId) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement q = c.prepareStatement("select last_active_at from subscriber where id = ?")) {
            q.setLong(1, readerId);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                OffsetDateTime at = rs.getObject(1, OffsetDateTime.class);
                return at == null ? null : at.toInstant();
            }
        }
    }

    private static double outcomes(String outcome) {
        String series = "gazette_reader_activity_total{outcome=\"" + outcome + "\"}";
        for (String line : given().when().get("/q/metrics").then().statusCode(200).extract().asString().split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return 0;
    }

    @Test
    void shouldPutTheReadersTokenOnEveryTrackedLinkOfTheirDigestButNotOnTheWebCopy() throws Exception {
        fixtures.reader("ana@example.org", "UTC", Frequency.DAILY, "world");
        fixtures.reader("ben@example.org", "UTC", Frequency.DAILY, "world");
        sendNow();

        String text = DigestDeliveryTest.text(messageTo("ana@example.org"));
        String html = ((Multipart) messageTo("ana@example.org").getContent()).getBodyPart(1).getContent().toString();
        int tracked = 0;
        for (Matcher m = ANY_TRACKED.matcher(html); m.find(); tracked++) {
            assertTrue(html.startsWith("?rt=", m.end()), "every tracked link carries the token: " + html);
        }
        assertTrue(tracked >= 2, "the headline and 'Read the article' links: " + html);
        Set<String> anaTokens = new HashSet<>();
        taggedLinks("ana@example.org").forEach(link -> anaTokens.add(link[1]));
        assertEquals(1, anaTokens.size(), "one token per message: " + text);
        String benToken = taggedLinks("ben@example.org").get(0)[1];
        assertNotEquals(anaTokens.iterator().next(), benToken, "each reader's own");
        assertTrue(html.contains("?rt=" + anaTokens.iterator().next() + "\""), html);

        String web = given().when().get("/digests/world-morning/1").then().statusCode(200).extract().asString();
        assertTrue(web.contains("Storm reaches the coast"), web);
        assertFalse(web.contains("rt="), "the web copy is the same for everyone: " + web);
    }

    @Test
    void shouldCountABrowsersClickAfterTheScannerWindowAsTheReadersActivity() throws Exception {
        Subscriber ana = fixtures.reader("ana@example.org", "UTC", Frequency.DAILY, "world");
        sendNow();
        String[] link = taggedLinks("ana@example.org").get(0);
        double counted = outcomes("counted");
        clock.advance(PAST_SCANNER_WINDOW);

        String location = follow(link[0] + "?rt=" + link[1], SAFARI_IPHONE).header("Location");
        assertEquals(follow(link[0], CHROME).header("Location"), location, "the stored target, tagged or not");
        assertTrue(location.startsWith("http://localhost:8080/articles/storm-reaches-the-coast?utm_source=world-morning"), location);
        assertFalse(location.contains("rt="), "the target never gets the token: " + location);
        assertNull(lastActiveAt(ana.id), "written off the request path");

        assertEquals(1, activity.flush());
        assertEquals(SENT.plus(Duration.ofHours(1)), lastActiveAt(ana.id), "to the next hour");
        assertEquals(counted + 1, outcomes("counted"));
    }

    @Test
    void shouldNotCountScannersBotsHeadRequestsClicksOnDeliveryOrTamperedTokens() throws Exception {
        Subscriber ana = fixtures.reader("ana@example.org", "UTC", Frequency.DAILY, "world");
        sendNow();
        String[] link = taggedLinks("ana@example.org").get(0);
        String tagged = link[0] + "?rt=" + link[1];
        String target = follow(link[0], CHROME).header("Location");
        double scannerTiming = outcomes("scanner_timing");
        double bots = outcomes("bot");
        double heads = outcomes("head");
        double invalid = outcomes("invalid");

        clock.advance(Duration.ofSeconds(4));
        assertEquals(target, follow(tagged, CHROME).header("Location"), "a scanner with a browser's User-Agent, on delivery");

        clock.advance(PAST_SCANNER_WINDOW);
        assertEquals(target, follow(tagged, MS_OFFICE).header("Location"));
        assertEquals(target, follow(tagged, BARRACUDA).header("Location"));
        given().redirects().follow(false).urlEncodingEnabled(false).header("User-Agent", CHROME)
                .when().head(tagged).then().statusCode(302).header("Location", target);
        int at = link[1].indexOf('.') + 5; // a character of the signature that carries 6 bits of it
        String tampered = link[0] + "?rt=" + link[1].substring(0, at) + (link[1].charAt(at) == 'A' ? 'B' : 'A') + link[1].substring(at + 1);
        assertEquals(target, follow(tampered, CHROME).header("Location"), "a bad token still redirects");
        assertEquals(target, follow(link[0] + "?rt=" + "x".repeat(300), CHROME).header("Location"));
        String otherReader = link[1].replaceFirst("^[^.]+", java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("act." + (ana.id + 1) + "." + SENT.getEpochSecond() + ".1900000000").getBytes()));
        assertEquals(target, follow(link[0] + "?rt=" + otherReader, CHROME).header("Location"), "a forged reader");

        assertEquals(7, activity.flush());
        assertNull(lastActiveAt(ana.id));
        assertEquals(scannerTiming + 1, outcomes("scanner_timing"));
        assertEquals(bots + 2, outcomes("bot"));
        assertEquals(heads + 1, outcomes("head"));
        assertEquals(invalid + 3, outcomes("invalid"));
    }

    @Test
    void shouldTagASpecialEditionsLinksAndCountItsClicks() throws Exception {
        Subscriber ana = fixtures.reader("ana@example.org", "UTC", Frequency.DAILY, "world");
        long storm = QuarkusTransaction.requiringNew().call(() -> Article.<Article>find("slug", "storm-reaches-the-coast").singleResult().id);
        Map<String, Object> edition = Map.of("subject", "Storm special", "articleIds", List.of(storm),
                "topics", List.of("world"), "expectedRecipients", 1, "expectedNumber", 1);
        given().auth().oauth2(token).contentType(ContentType.JSON).body(edition)
                .post("/api/v1/newsletters/" + newsletter.id + "/special-editions").then().statusCode(201);
        sender.sendDue();
        assertTrue(messageTo("ana@example.org").getSubject().startsWith("Storm special"));

        clock.advance(PAST_SCANNER_WINDOW);
        String[] link = taggedLinks("ana@example.org").get(0);
        follow(link[0] + "?rt=" + link[1], CHROME);
        activity.flush();
        assertEquals(SENT.plus(Duration.ofHours(1)), lastActiveAt(ana.id), "to the next hour");
        String web = given().when().get("/digests/world-morning/special-1").then().statusCode(200).extract().asString();
        assertFalse(web.contains("rt="), web);
    }

    @Test
    void shouldStoreNothingForAReaderWhoLeft() throws Exception {
        Subscriber ana = fixtures.reader("ana@example.org", "UTC", Frequency.DAILY, "world");
        sendNow();
        String[] link = taggedLinks("ana@example.org").get(0);
        given().auth().oauth2(token).post("/api/v1/subscribers/" + ana.id + "/unsubscribe").then().statusCode(anyOf(equalTo(200), equalTo(204)));

        clock.advance(PAST_SCANNER_WINDOW);
        follow(link[0] + "?rt=" + link[1], CHROME);
        assertEquals(1, activity.flush());
        assertNull(lastActiveAt(ana.id));
    }

    @Test
    void shouldOnlyMoveTheReadersActivityForward() throws Exception {
        Subscriber ana = fixtures.reader("ana@example.org", "UTC", Frequency.DAILY, "world");
        sendNow();
        String tagged = taggedLinks("ana@example.org").get(0)[0] + "?rt=" + taggedLinks("ana@example.org").get(0)[1];

        clock.set(SENT.plus(Duration.ofHours(2)));
        follow(tagged, CHROME);
        follow(tagged, SAFARI_IPHONE);
        activity.flush();
        assertEquals(SENT.plus(Duration.ofHours(3)), lastActiveAt(ana.id), "11:00 to the next hour");

        // a batch written late (another instance's, say) holds an older click
        clock.set(SENT.plus(Duration.ofHours(1)));
        follow(tagged, CHROME);
        activity.flush();
        assertEquals(SENT.plus(Duration.ofHours(3)), lastActiveAt(ana.id), "11:00 to the next hour");
    }
}
