package dev.gazette.subscriber;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gazette.testing.GazetteTest;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

@QuarkusTest
public class SubscribeFlowTest extends GazetteTest {

    static final String READER = "Reader.One@Example.ORG";
    public static final Pattern CONFIRM_LINK = Pattern.compile("http://localhost:8080(/confirm/[A-Za-z0-9_.-]+)");

    @Inject
    SubscriberLinks links;

    @BeforeEach
    void topics() {
        fixtures.topic("Climate", "climate");
        fixtures.topic("Cities", "cities");
    }

    static Response subscribe(String email, String... extra) {
        var request = given().contentType(ContentType.URLENC).formParam("email", email).redirects().follow(false);
        for (int i = 0; i + 1 < extra.length; i += 2) {
            request = request.formParam(extra[i], extra[i + 1]);
        }
        return request.when().post("/subscribe");
    }

    public static Subscriber subscriber(String emailKey) {
        return QuarkusTransaction.requiringNew().call(() -> Subscriber.findByEmailKey(emailKey)
                .map(s -> {
                    s.topics.size();
                    return s;
                }).orElse(null));
    }

    String confirmPath(MimeMessage message) throws Exception {
        String text = textPart(message);
        Matcher m = CONFIRM_LINK.matcher(text);
        assertTrue(m.find(), text);
        return m.group(1);
    }

    static String textPart(MimeMessage message) throws Exception {
        Multipart alternative = (Multipart) message.getContent();
        return alternative.getBodyPart(0).getContent().toString();
    }

    @Test
    void shouldWalkTheWholeReaderPath() throws Exception {
        Response answer = subscribe(READER, "name", "Ada", "topics", "climate", "timezone", "Asia/Tokyo",
                "frequency", "daily", "ref", "Ab12Cd34Ef", "utm_source", "mastodon", "page",
                "http://localhost:8080/articles/heatwave");
        assertEquals(200, answer.statusCode());
        assertEquals("Check your inbox", Jsoup.parse(answer.asString()).selectFirst("h1").text());

        assertTrue(greenMail.waitForIncomingEmail(5000, 1));
        MimeMessage mail = greenMail.getReceivedMessages()[0];
        assertEquals("Reader.One@example.org", mail.getAllRecipients()[0].toString());
        assertEquals("Confirm your subscription to Gazette", mail.getSubject());
        assertEquals("auto-generated", mail.getHeader("Auto-Submitted", null));
        assertTrue(((Multipart) mail.getContent()).getContentType().startsWith("multipart/alternative"));
        String confirm = confirmPath(mail);

        Subscriber pending = subscriber("reader.one@example.org");
        assertEquals(SubscriberStatus.PENDING, pending.status);
        assertEquals("Asia/Tokyo", pending.timezone);
        assertEquals(Frequency.DAILY, pending.frequency);
        assertEquals("Ab12Cd34Ef", pending.sourceRef);
        assertEquals("mastodon", pending.sourceUtmSource);
        assertEquals("http://localhost:8080/articles/heatwave", pending.sourcePage);
        assertEquals("2026-01", pending.consentVersion);
        assertNotNull(pending.consentIpHash);
        assertFalse(pending.consentIpHash.contains("127.0.0.1"));
        assertEquals(List.of("climate"), pending.topics.stream().map(t -> t.slug).toList());

        Document button = Jsoup.parse(given().when().get(confirm).then().statusCode(200).extract().asString());
        assertEquals(confirm, button.selectFirst("form[method=post]").attr("action"));
        assertEquals(SubscriberStatus.PENDING, subscriber("reader.one@example.org").status, "GET must not confirm");

        Document confirmed = Jsoup.parse(given().when().post(confirm).then().statusCode(200).extract().asString());
        assertEquals("You're subscribed", confirmed.selectFirst("h1").text());
        String preferences = confirmed.selectFirst("main a").attr("href").replace("http://localhost:8080", "");
        assertEquals(SubscriberStatus.ACTIVE, subscriber("reader.one@example.org").status);

        Document form = Jsoup.parse(given().when().get(preferences).then().statusCode(200).extract().asString());
        assertEquals("Asia/Tokyo", form.selectFirst("select[name=timezone] option[selected]").attr("value"));
        given().contentType(ContentType.URLENC).formParam("scope", "some").formParam("topics", "cities")
                .formParam("topics", "climate").formParam("frequency", "weekly").formParam("timezone", "America/New_York")
                .formParam("name", "Ada L.").formParam("pauseWeeks", "2").formParam("action", "save")
                .when().post(preferences).then().statusCode(200);
        Subscriber changed = subscriber("reader.one@example.org");
        assertEquals(List.of("cities", "climate"), changed.topics.stream().map(t -> t.slug).toList());
        assertEquals(Frequency.WEEKLY, changed.frequency);
        assertEquals("America/New_York", changed.timezone);
        assertEquals(clock.instant().plus(Duration.ofDays(14)), changed.pausedUntil);

        String unsubscribe = links.unsubscribeUrl(changed.id).replace("http://localhost:8080", "");
        Document page = Jsoup.parse(given().when().get(unsubscribe).then().statusCode(200).extract().asString());
        assertEquals("Unsubscribe", page.selectFirst("h1").text());
        assertEquals(SubscriberStatus.ACTIVE, subscriber("reader.one@example.org").status, "GET must not unsubscribe");

        // Exactly as Gmail sends it: form-encoded body, no cookie, no redirect followed.
        given().contentType("application/x-www-form-urlencoded").body("List-Unsubscribe=One-Click")
                .redirects().follow(false)
                .when().post(unsubscribe).then().statusCode(200).header("Location", (String) null);
        assertEquals(SubscriberStatus.UNSUBSCRIBED, subscriber("reader.one@example.org").status);
        assertTrue(QuarkusTransaction.requiringNew().call(() -> Suppression.<Suppression> listAll().stream()
                .anyMatch(s -> s.reason == SuppressionReason.UNSUBSCRIBED && "Reader.One@example.org".equals(s.email))));
        given().contentType("application/x-www-form-urlencoded").body("List-Unsubscribe=One-Click")
                .when().post(unsubscribe).then().statusCode(200);

        assertEquals(1, greenMail.getReceivedMessages().length, "nothing more is sent");
    }

    @Test
    void shouldKeepTheSubscriptionWhenTheConfirmationCannotBeSent() throws Exception {
        greenMail.stop();
        try {
            subscribe(READER, "topics", "climate").then().statusCode(200);
        } finally {
            greenMail.start();
        }
        Subscriber kept = subscriber(READER.toLowerCase(java.util.Locale.ROOT));
        assertEquals(SubscriberStatus.PENDING, kept.status);
        assertEquals(0, kept.confirmationCount, "a mail that did not leave does not count");
        assertTrue(QuarkusTransaction.requiringNew().call(() -> SubscriberEvent.history(kept.id)).stream()
                .anyMatch(e -> e.type.equals("CONFIRMATION_FAILED")));

        subscribe(READER, "topics", "climate").then().statusCode(200);
        assertTrue(greenMail.waitForIncomingEmail(5000, 1), "asking again sends it");
    }

    @Test
    void shouldAcceptOneClickAsMultipart() {
        long id = fixtures.activeSubscriber("multi@example.org").id;
        String unsubscribe = links.unsubscribeUrl(id).replace("http://localhost:8080", "");
        given().multiPart("List-Unsubscribe", "One-Click").redirects().follow(false)
                .when().post(unsubscribe).then().statusCode(200);
        assertEquals(SubscriberStatus.UNSUBSCRIBED, subscriber("multi@example.org").status);
    }

    @Test
    void shouldLiftUnsubscribeOnlyThroughNewDoubleOptIn() throws Exception {
        long id = fixtures.activeSubscriber("back@example.org").id;
        given().contentType(ContentType.URLENC).body("List-Unsubscribe=One-Click")
                .when().post(links.unsubscribeUrl(id).replace("http://localhost:8080", "")).then().statusCode(200);
        subscribe("back@example.org");
        assertTrue(greenMail.waitForIncomingEmail(5000, 1));
        assertEquals(SubscriberStatus.PENDING, subscriber("back@example.org").status);
        assertTrue(QuarkusTransaction.requiringNew().call(() -> Suppression.count() == 1), "still suppressed until confirmed");
        given().when().post(confirmPath(greenMail.getReceivedMessages()[0])).then().statusCode(200);
        assertEquals(SubscriberStatus.ACTIVE, subscriber("back@example.org").status);
        assertEquals(0L, (long) QuarkusTransaction.requiringNew().call(() -> Suppression.count()));
    }

    @Test
    void shouldGiveTheSameAnswerWhateverTheAddressIsAndSendNothingNew() throws Exception {
        fixtures.activeSubscriber("active@example.org");
        given().auth().oauth2(fixtures.editorToken()).contentType(ContentType.JSON)
                .body("{\"email\": \"blocked@example.org\", \"reason\": \"BLOCKED\"}")
                .when().post("/api/v1/suppressions").then().statusCode(201);
        String fresh = Jsoup.parse(subscribe("new@example.org").asString()).selectFirst("main").text();
        for (String email : List.of("new@example.org", "active@example.org", "blocked@example.org")) {
            Response r = subscribe(email);
            assertEquals(200, r.statusCode());
            assertEquals(fresh, Jsoup.parse(r.asString()).selectFirst("main").text(), email);
        }
        assertTrue(greenMail.waitForIncomingEmail(5000, 1));
        Thread.sleep(300);
        assertEquals(1, greenMail.getReceivedMessages().length, "only the new address got a mail, once");
        assertNull(subscriber("blocked@example.org"));

        clock.advance(Duration.ofMinutes(11));
        subscribe("new@example.org");
        clock.advance(Duration.ofMinutes(11));
        subscribe("new@example.org");
        clock.advance(Duration.ofMinutes(11));
        subscribe("new@example.org");
        assertTrue(greenMail.waitForIncomingEmail(5000, 3));
        Thread.sleep(300);
        assertEquals(3, greenMail.getReceivedMessages().length, "at most three confirmation mails");
    }

    @Test
    void shouldIgnoreBotsFillingTheHoneypot() throws Exception {
        Response r = subscribe("bot@example.org", "website", "http://spam.example");
        assertEquals(200, r.statusCode());
        assertEquals("Check your inbox", Jsoup.parse(r.asString()).selectFirst("h1").text());
        Thread.sleep(200);
        assertEquals(0, greenMail.getReceivedMessages().length);
        assertNull(subscriber("bot@example.org"));
    }

    @Test
    void shouldLimitAttemptsPerAddress() {
        for (int i = 0; i < 5; i++) {
            assertEquals(200, subscribe("target@example.org").statusCode());
        }
        Response limited = subscribe("target@example.org");
        assertEquals(429, limited.statusCode());
        assertEquals("Too many attempts", Jsoup.parse(limited.asString()).selectFirst("h1").text());
        assertEquals(200, subscribe("other@example.org").statusCode());
    }

    @Test
    void shouldRejectMalformedAddressesAndKeepTheForm() {
        for (String bad : List.of("not-an-address", "a@b", "a b@example.org", "x@-example.org",
                "a".repeat(65) + "@example.org", "a@" + "b".repeat(250) + ".org", "a@example.org\r\nBcc: x@example.org")) {
            Response r = subscribe(bad, "name", "Kept", "ref", "Ref12345");
            assertEquals(400, r.statusCode(), bad);
            Document page = Jsoup.parse(r.asString());
            assertEquals("true", page.selectFirst("#email").attr("aria-invalid"));
            assertEquals("Kept", page.selectFirst("#name").attr("value"));
            assertEquals("Ref12345", page.selectFirst("input[name=ref]").attr("value"));
        }
        given().contentType(ContentType.JSON).body("{\"email\": \"nope\"}").when().post("/subscribe")
                .then().statusCode(400).contentType("application/problem+json")
                .body("violations[0].field", org.hamcrest.Matchers.equalTo("email"));
        given().contentType(ContentType.JSON).body("{\"email\": \"ok@example.org\", \"timezone\": \"Mars/Base\", \"topics\": [\"nope\"]}")
                .when().post("/subscribe").then().statusCode(400)
                .body("violations.field", org.hamcrest.Matchers.hasItems("timezone", "topics"));
        assertEquals(0, greenMail.getReceivedMessages().length);
    }

    @Test
    void shouldKeepLineBreaksInNamesOutOfHeaders() throws Exception {
        subscribe("crlf@example.org", "name", "Eve\r\nBcc: victim@example.org\r\nSubject: pwned");
        assertTrue(greenMail.waitForIncomingEmail(5000, 1));
        MimeMessage mail = greenMail.getReceivedMessages()[0];
        assertNull(mail.getHeader("Bcc"));
        assertEquals("Confirm your subscription to Gazette", mail.getSubject());
        assertEquals(1, mail.getAllRecipients().length);
        assertEquals(1, greenMail.getReceivedMessages().length, "the victim got nothing");
        assertEquals("Eve Bcc: victim@example.org Subject: pwned", subscriber("crlf@example.org").name);
    }

    @Test
    void shouldAcceptJsonAndInternationalisedDomains() {
        given().contentType(ContentType.JSON).body("{\"email\": \"  anna@Bücher.example \", \"topics\": [\"climate\"]}")
                .when().post("/subscribe").then().statusCode(202)
                .body("status", org.hamcrest.Matchers.equalTo("pending-confirmation"));
        Subscriber s = subscriber("anna@xn--bcher-kva.example");
        assertNotNull(s);
        assertEquals("anna@xn--bcher-kva.example", s.email);
    }

    @Test
    void shouldAnswerBadLinksWithClearPages() throws Exception {
        subscribe("links@example.org");
        assertTrue(greenMail.waitForIncomingEmail(5000, 1));
        String confirm = confirmPath(greenMail.getReceivedMessages()[0]);

        String tampered = confirm.substring(0, confirm.length() - 3) + (confirm.endsWith("AAA") ? "BBB" : "AAA");
        assertPage(given().when().get(tampered), 400, "This link is not valid");
        assertPage(given().when().post(tampered), 400, "This link is not valid");
        assertPage(given().when().get("/confirm/garbage"), 400, "This link is not valid");
        long id = subscriber("links@example.org").id;
        String prefsToken = links.preferencesToken(id);
        assertPage(given().when().post("/u/" + prefsToken), 400, "This link is not valid");

        given().when().post(confirm).then().statusCode(200);
        assertPage(given().when().post(confirm), 410, "Already confirmed");
        assertPage(given().when().get(confirm), 410, "Already confirmed");

        subscribe("late@example.org");
        assertTrue(greenMail.waitForIncomingEmail(5000, 2));
        String late = confirmPath(greenMail.getReceivedMessages()[1]);
        clock.advance(Duration.ofDays(8));
        assertPage(given().when().get(late), 410, "This link has expired");
        assertEquals(SubscriberStatus.PENDING, subscriber("late@example.org").status);
    }

    @Test
    void shouldCreateOneReaderForConcurrentSubmits() throws Exception {
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Callable<Integer>> calls = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                calls.add(() -> given().contentType(ContentType.JSON).body("{\"email\": \"race@example.org\"}")
                        .when().post("/subscribe").statusCode());
            }
            for (var f : pool.invokeAll(calls)) {
                assertEquals(202, f.get());
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(1L, (long) QuarkusTransaction.requiringNew().call(() -> Subscriber.count("emailKey", "race@example.org")));
        assertTrue(greenMail.waitForIncomingEmail(5000, 1));
        Thread.sleep(300);
        assertEquals(1, greenMail.getReceivedMessages().length);
    }

    @Test
    void shouldOfferTheReaderTheirData() {
        long id = fixtures.activeSubscriber("mine@example.org").id;
        Response export = given().when().get("/preferences/" + links.preferencesToken(id) + "/export");
        assertEquals(200, export.statusCode());
        assertTrue(export.header("Content-Disposition").startsWith("attachment"));
        assertEquals("mine@example.org", export.jsonPath().getString("email"));
        assertEquals("CONFIRMED", export.jsonPath().getString("history[0].type"));
    }

    private static void assertPage(Response response, int status, String title) {
        assertEquals(status, response.statusCode());
        assertEquals(title, Jsoup.parse(response.asString()).selectFirst("h1").text());
    }
}
