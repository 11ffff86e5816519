package dev.gazette.digest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gazette.subscriber.Frequency;
import dev.gazette.subscriber.Subscriber;
import dev.gazette.subscriber.SubscriberStatus;
import dev.gazette.subscriber.Suppression;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class DigestDeliveryTest extends DigestTestBase {

    private static final Pattern ONE_CLICK = Pattern.compile("<http://localhost:8080(/u/[A-Za-z0-9_.-]+)>");
    private static final String SECRET = "hook-secret-for-tests";

    private String token;
    private Newsletter newsletter;

    @BeforeEach
    void newsletterWithNews() {
        token = fixtures.editorToken();
        worldNews();
        newsletter = daily("world");
    }

    private long sendNow() {
        long readers = given().auth().oauth2(token).get("/api/v1/newsletters/" + newsletter.id + "/audience")
                .then().statusCode(200).extract().jsonPath().getLong("recipients");
        return given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"expectedRecipients\":" + readers + "}")
                .when().post("/api/v1/newsletters/" + newsletter.id + "/issues")
                .then().statusCode(201).extract().jsonPath().getLong("id");
    }

    @Test
    void shouldPutBulkMailHeadersOnTheWire() throws Exception {
        Subscriber ana = fixtures.reader("ana@example.org", "Europe/Madrid", Frequency.DAILY, "world");
        QuarkusTransaction.requiringNew().run(() -> ((Subscriber) Subscriber.findById(ana.id)).name = "Ana");
        long issue = sendNow();
        sender.sendDue();

        MimeMessage m = messageTo("ana@example.org");
        long delivery = delivery(ana.id).id();
        jakarta.mail.internet.InternetAddress from = (jakarta.mail.internet.InternetAddress) m.getFrom()[0];
        assertEquals("Gazette World", from.getPersonal());
        assertEquals("world@news.example.org", from.getAddress());
        assertEquals("desk@news.example.org", m.getHeader("Reply-To", null));
        assertEquals("<issue-" + issue + ".subscriber-" + ana.id + "@localhost>", m.getMessageID());
        assertEquals("World this morning <world-morning.localhost>", m.getHeader("List-Id", null));
        assertEquals("List-Unsubscribe=One-Click", m.getHeader("List-Unsubscribe-Post", null));
        String listUnsubscribe = m.getHeader("List-Unsubscribe", null).replaceAll("\\s+", " ");
        assertTrue(listUnsubscribe.matches("<http://localhost:8080/u/[^>]+>, <mailto:unsubscribe@localhost\\?subject=unsubscribe%20[^>]+>"),
                listUnsubscribe);
        assertEquals("auto-generated", m.getHeader("Auto-Submitted", null));
        assertEquals(issue + ":world-morning:digest:gazette", m.getHeader("Feedback-ID", null));
        assertEquals("<bounce+d" + delivery + "@localhost>", m.getHeader("Return-Path", null));
        assertTrue(m.isMimeType("multipart/alternative"), m.getContentType());
        Multipart parts = (Multipart) m.getContent();
        assertTrue(parts.getBodyPart(0).isMimeType("text/plain"));
        assertTrue(parts.getBodyPart(1).isMimeType("text/html"));
        String html = parts.getBodyPart(1).getContent().toString();
        assertTrue(html.contains("Hello Ana,"), html);
        assertTrue(html.contains("Storm reaches the coast"), html);
        assertTrue(html.contains("/articles/storm-reaches-the-coast?utm_source=world-morning&amp;utm_medium=email&amp;utm_campaign=world-morning-1"), html);
        assertTrue(html.contains(">Unsubscribe</a>") && html.contains(">Manage your preferences</a>"), html);
        assertTrue(!html.contains("<style"), "inline styles only");
        assertTrue(!html.contains("/o/"), "no open pixel unless the newsletter asks for one");
        String text = parts.getBodyPart(0).getContent().toString();
        assertTrue(text.contains("Unsubscribe: http://localhost:8080/u/"), text);
    }

    @Test
    void shouldUnsubscribeWithTheOneClickLinkOfAReceivedDigest() throws Exception {
        Subscriber reader = fixtures.reader("reader@example.org", "UTC", Frequency.DAILY, "world");
        sendNow();
        sender.sendDue();
        Matcher link = ONE_CLICK.matcher(messageTo("reader@example.org").getHeader("List-Unsubscribe", null));
        assertTrue(link.find());

        given().contentType(ContentType.URLENC).formParam("List-Unsubscribe", "One-Click")
                .when().post(link.group(1))
                .then().statusCode(200);

        assertEquals(SubscriberStatus.UNSUBSCRIBED,
                QuarkusTransaction.requiringNew().call(() -> ((Subscriber) Subscriber.findById(reader.id)).status));
        greenMail.purgeEmailFromAllMailboxes();
        sendNow();
        sender.sendDue();
        assertEquals(0, greenMail.getReceivedMessages().length, "an unsubscribed reader is not planned again");
    }

    @Test
    void shouldRecheckSuppressionAtSendTime() throws Exception {
        Subscriber reader = fixtures.reader("reader@example.org", "UTC", Frequency.DAILY, "world");
        sendNow();
        QuarkusTransaction.requiringNew().run(() -> {
            // Blocked between planning and sending: the row exists, the message must not go.
            Suppression s = new Suppression();
            s.emailHash = digestSuppressionHash("reader@example.org");
            s.reason = dev.gazette.subscriber.SuppressionReason.BLOCKED;
            s.created(clock.instant());
            s.persist();
        });
        sender.sendDue();
        assertEquals(0, greenMail.getReceivedMessages().length);
        assertEquals("SKIPPED", delivery(reader.id).status());
    }

    @Test
    void shouldPauseResumeAndCancelAnIssue() throws Exception {
        fixtures.reader("a@example.org", "UTC", Frequency.DAILY, "world");
        fixtures.reader("b@example.org", "UTC", Frequency.DAILY, "world");
        long issue = sendNow();
        given().auth().oauth2(token).when().post("/api/v1/issues/" + issue + "/pause")
                .then().statusCode(200).body("status", equalTo("PAUSED")).body("deliveries.PENDING", equalTo(2));
        sender.sendDue();
        assertEquals(0, greenMail.getReceivedMessages().length);

        given().auth().oauth2(token).when().post("/api/v1/issues/" + issue + "/resume")
                .then().statusCode(200).body("status", equalTo("SENDING"));
        sender.sendDue();
        assertEquals(Map.of("a@example.org", 1, "b@example.org", 1), copiesByRecipient());
        planner.planDue();
        given().auth().oauth2(token).when().get("/api/v1/issues/" + issue)
                .then().statusCode(200).body("status", equalTo("DONE")).body("deliveries.SENT", equalTo(2)).body("total", equalTo(2));
        given().auth().oauth2(token).when().post("/api/v1/issues/" + issue + "/cancel")
                .then().statusCode(409).body("violations[0].field", equalTo("status"));

        long second = sendNow();
        given().auth().oauth2(token).when().post("/api/v1/issues/" + second + "/cancel")
                .then().statusCode(200).body("status", equalTo("CANCELLED")).body("deliveries.CANCELLED", equalTo(2));
        sender.sendDue();
        assertEquals(2, greenMail.getReceivedMessages().length);
    }

    @Test
    void shouldTakeOverDeliveriesWhoseLeaseRanOut() throws Exception {
        for (int i = 0; i < 3; i++) {
            fixtures.reader("r" + i + "@example.org", "UTC", Frequency.DAILY, "world");
        }
        sendNow();
        // Another sender claims everything, then dies without recording anything.
        List<DeliveryLedger.Claim> taken = ledger.claim("dead-sender", 10, clock.instant());
        assertEquals(3, taken.size());
        sender.maintainNow();
        sender.sendDue();
        assertEquals(0, greenMail.getReceivedMessages().length, "a live lease is respected");

        clock.advance(Duration.ofSeconds(61));
        sender.maintainNow();
        sender.sendDue();
        assertEquals(Map.of("r0@example.org", 1, "r1@example.org", 1, "r2@example.org", 1), copiesByRecipient());
        assertTrue(deliveries().stream().allMatch(r -> r.status().equals("SENT") && r.recoveries() == 1 && r.attempts() == 2));
        given().auth().oauth2(token).when().get("/api/v1/issues/" + taken.get(0).issueId())
                .then().statusCode(200).body("recovered", equalTo(3));
    }

    @Test
    void shouldNeverHandTheSameDeliveryToTwoConcurrentClaims() throws Exception {
        for (int i = 0; i < 60; i++) {
            fixtures.reader("r" + i + "@example.org", "UTC", Frequency.DAILY, "world");
        }
        sendNow();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Long>>> claims = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                String instance = "sender-" + t;
                claims.add(pool.submit(() -> {
                    List<Long> mine = new ArrayList<>();
                    List<DeliveryLedger.Claim> batch;
                    while (!(batch = ledger.claim(instance, 7, clock.instant())).isEmpty()) {
                        batch.forEach(c -> mine.add(c.id()));
                    }
                    return mine;
                }));
            }
            Set<Long> seen = new HashSet<>();
            int total = 0;
            for (Future<List<Long>> f : claims) {
                for (Long id : f.get()) {
                    total++;
                    assertTrue(seen.add(id), "delivery " + id + " claimed twice");
                }
            }
            assertEquals(60, total);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldApplyBounceWebhooksThroughTheVerpAddress() throws Exception {
        Subscriber reader = fixtures.reader("reader@example.org", "UTC", Frequency.DAILY, "world");
        sendNow();
        sender.sendDue();
        long delivery = delivery(reader.id).id();
        String report = """
                {"type": "hard_bounce", "recipient": "reader@example.org", "bounceAddress": "bounce+d%d@localhost",
                 "status": "5.1.1", "diagnostic": "smtp; 550 5.1.1 user unknown"}""".formatted(delivery);

        given().contentType(ContentType.JSON).body(report).when().post("/hooks/mail/gazette").then().statusCode(401);
        given().auth().preemptive().basic("gazette", SECRET).contentType(ContentType.JSON).body(report)
                .when().post("/hooks/mail/gazette")
                .then().statusCode(200).body("applied", equalTo(1));

        assertEquals(SubscriberStatus.BOUNCED,
                QuarkusTransaction.requiringNew().call(() -> ((Subscriber) Subscriber.findById(reader.id)).status));
        assertTrue(delivery(reader.id).lastError().contains("5.1.1"));
        given().auth().preemptive().basic("gazette", SECRET).contentType(ContentType.JSON).body("{\"type\": \"bounce\"}")
                .when().post("/hooks/mail/gazette")
                .then().statusCode(400).body("violations[0].field", not(equalTo(null)));
    }

    @Test
    void shouldApplyAnRfc3464DeliveryStatusNotification() throws Exception {
        Subscriber reader = fixtures.reader("reader@example.org", "UTC", Frequency.DAILY, "world");
        long issue = sendNow();
        sender.sendDue();
        long delivery = delivery(reader.id).id();
        String dsn = String.join("\r\n",
                "From: MAILER-DAEMON@mx.example.org",
                "To: bounce+d" + delivery + "@localhost",
                "Subject: Undelivered Mail Returned to Sender",
                "MIME-Version: 1.0",
                "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"",
                "",
                "--b1",
                "Content-Type: text/plain",
                "",
                "The mail system could not deliver your message.",
                "--b1",
                "Content-Type: message/delivery-status",
                "",
                "Reporting-MTA: dns; mx.example.org",
                "",
                "Final-Recipient: rfc822; reader@example.org",
                "Action: failed",
                "Status: 5.1.1",
                "Diagnostic-Code: smtp; 550 5.1.1 <reader@example.org>: Recipient address rejected",
                "",
                "--b1",
                "Content-Type: text/rfc822-headers",
                "",
                "Message-ID: <issue-" + issue + ".subscriber-" + reader.id + "@localhost>",
                "",
                "--b1--",
                "");

        given().header("X-Gazette-Secret", SECRET).contentType("message/rfc822").body(dsn.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .when().post("/hooks/mail/inbound")
                .then().statusCode(200).body("type", equalTo("report")).body("applied", equalTo(1));

        assertEquals(SubscriberStatus.BOUNCED,
                QuarkusTransaction.requiringNew().call(() -> ((Subscriber) Subscriber.findById(reader.id)).status));
    }

    @Test
    void shouldUnsubscribeThroughTheMailtoAddress() throws Exception {
        Subscriber reader = fixtures.reader("reader@example.org", "UTC", Frequency.DAILY, "world");
        sendNow();
        sender.sendDue();
        String header = messageTo("reader@example.org").getHeader("List-Unsubscribe", null);
        Matcher subject = Pattern.compile("subject=unsubscribe%20([^>]+)>").matcher(header);
        assertTrue(subject.find());
        String mail = "From: reader@example.org\r\nTo: unsubscribe@localhost\r\nSubject: unsubscribe " + subject.group(1) + "\r\n\r\n\r\n";

        given().header("X-Gazette-Secret", SECRET).contentType("message/rfc822").body(mail.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .when().post("/hooks/mail/inbound")
                .then().statusCode(200).body("type", equalTo("unsubscribe")).body("result", equalTo("VALID"));
        assertEquals(SubscriberStatus.UNSUBSCRIBED,
                QuarkusTransaction.requiringNew().call(() -> ((Subscriber) Subscriber.findById(reader.id)).status));
    }

    @Test
    void shouldShowAPublicWebCopyWithoutPersonalParts() throws Exception {
        fixtures.reader("reader@example.org", "UTC", Frequency.DAILY, "world");
        sendNow();
        sender.sendDue();
        String html = given().when().get("/digests/world-morning/1")
                .then().statusCode(200).contentType(containsString("text/html")).extract().asString();
        assertTrue(html.contains("Storm reaches the coast"), html);
        assertTrue(!html.contains("/u/") && !html.contains("/preferences/"), "no reader links on the web copy");
        assertTrue(text(messageTo("reader@example.org")).contains("View in your browser: http://localhost:8080/digests/world-morning/1"));
        given().when().get("/digests/world-morning/99").then().statusCode(404).contentType(containsString("text/html"));
        given().when().get("/digests/nope/1").then().statusCode(404);
    }

    @Test
    void shouldPreviewAndTestSendAReadersDigest() throws Exception {
        Subscriber reader = fixtures.reader("reader@example.org", "UTC", Frequency.DAILY, "world");
        given().auth().oauth2(token).queryParam("subscriberId", reader.id).queryParam("format", "text")
                .when().get("/api/v1/newsletters/" + newsletter.id + "/preview")
                .then().statusCode(200).contentType(containsString("text/plain"))
                .body(containsString("Storm reaches the coast")).body(containsString("Unsubscribe: http://localhost:8080/u/"));
        given().auth().oauth2(token).queryParam("subscriberId", reader.id)
                .when().get("/api/v1/newsletters/" + newsletter.id + "/preview")
                .then().statusCode(200).contentType(containsString("text/html")).body(containsString("<html"));
        given().auth().oauth2(token).queryParam("format", "pdf")
                .when().get("/api/v1/newsletters/" + newsletter.id + "/preview")
                .then().statusCode(400).body("violations[0].field", equalTo("format"));
        // by address, as the editor UI does
        given().auth().oauth2(token).queryParam("reader", "Reader@Example.org").queryParam("format", "text")
                .when().get("/api/v1/newsletters/" + newsletter.id + "/preview")
                .then().statusCode(200).body(containsString("Unsubscribe: http://localhost:8080/u/"));
        given().auth().oauth2(token).queryParam("reader", "nobody@example.org")
                .when().get("/api/v1/newsletters/" + newsletter.id + "/preview")
                .then().statusCode(400).contentType("application/problem+json").body("violations[0].field", equalTo("reader"));

        given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"to\": \"editor@example.org\", \"reader\": \"reader@example.org\"}")
                .when().post("/api/v1/newsletters/" + newsletter.id + "/test")
                .then().statusCode(202);
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"to\": \"editor@example.org\", \"reader\": \"reader@example.org\", \"subscriberId\": 1}")
                .when().post("/api/v1/newsletters/" + newsletter.id + "/test")
                .then().statusCode(400).body("violations[0].field", equalTo("reader"));
        MimeMessage test = messageTo("editor@example.org");
        assertTrue(test.getSubject().startsWith("[Test] World this morning"), test.getSubject());
        assertEquals(0, deliveries().size(), "tests leave the ledger alone");
    }

    @Test
    void shouldValidateNewsletters() {
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"name\": \"Evening\", \"cadence\": \"WEEKLY\", \"sendTime\": \"25:00\", \"fromAddress\": \"not-an-address\", \"topics\": [\"nope\"]}")
                .when().post("/api/v1/newsletters")
                .then().statusCode(400).body("violations.field", org.hamcrest.Matchers.hasItems("sendTime", "fromAddress"));
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"name\": \"Evening\", \"cadence\": \"WEEKLY\", \"sendTime\": \"18:00\", \"fromAddress\": \"e@news.example.org\", \"topics\": [\"nope\"]}")
                .when().post("/api/v1/newsletters")
                .then().statusCode(400).body("violations.field", org.hamcrest.Matchers.hasItems("weeklyDay", "topics"));
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"name\": \"Again\", \"slug\": \"world-morning\", \"cadence\": \"DAILY\", \"sendTime\": \"18:00\", \"fromAddress\": \"e@news.example.org\"}")
                .when().post("/api/v1/newsletters")
                .then().statusCode(409).body("violations[0].field", equalTo("slug"));
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"name\": \"Evening\", \"cadence\": \"WEEKLY\", \"weeklyDay\": \"friday\", \"sendTime\": \"18:00\", \"fromAddress\": \"e@news.example.org\", \"topics\": [\"world\"]}")
                .when().post("/api/v1/newsletters")
                .then().statusCode(201).body("slug", equalTo("evening")).body("weeklyDay", equalTo("FRIDAY"))
                .body("listId", equalTo("evening.localhost")).body("topics", org.hamcrest.Matchers.contains("world"));
        given().when().get("/api/v1/newsletters").then().statusCode(401);
    }

    @Test
    void shouldRecordTheFirstOpenOnlyWhenTheNewsletterAsksForIt() throws Exception {
        Subscriber reader = fixtures.reader("reader@example.org", "UTC", Frequency.DAILY, "world");
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"trackOpens\": true}")
                .when().patch("/api/v1/newsletters/" + newsletter.id).then().statusCode(200).body("trackOpens", equalTo(true));
        sendNow();
        sender.sendDue();
        String html = ((Multipart) messageTo("reader@example.org").getContent()).getBodyPart(1).getContent().toString();
        Matcher pixel = Pattern.compile("http://localhost:8080(/o/[A-Za-z0-9_.-]+\\.gif)").matcher(html);
        assertTrue(pixel.find(), html);
        given().when().get(pixel.group(1)).then().statusCode(200).contentType("image/gif").header("Cache-Control", "private, no-store");
        given().when().get("/o/forged.token.gif").then().statusCode(200);
        assertNotNull(openedAt(delivery(reader.id).id()));
    }

    @Test
    void shouldTrackDigestLinksPerIssueWhenTheNewsletterAsks() throws Exception {
        fixtures.reader("reader@example.org", "UTC", Frequency.DAILY, "world");
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"trackLinks\": true}")
                .when().patch("/api/v1/newsletters/" + newsletter.id).then().statusCode(200);
        long issue = sendNow();
        sender.sendDue();
        Matcher link = Pattern.compile("http://localhost:8080(/r/[A-Za-z0-9]+)\\?rt=[A-Za-z0-9_.-]+\n").matcher(text(messageTo("reader@example.org")));
        assertTrue(link.find(), text(messageTo("reader@example.org")));

        String location = given().redirects().follow(false).header("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0")
                .when().get(link.group(1)).then().statusCode(302).extract().header("Location");
        assertTrue(location.startsWith("http://localhost:8080/articles/storm-reaches-the-coast?utm_source=world-morning&utm_medium=email"
                + "&utm_campaign=world-morning-1&ref="), location);
        clickRecorder.flush();
        given().auth().oauth2(token).queryParam("contextType", "DIGEST_ISSUE").queryParam("contextId", issue)
                .when().get("/api/v1/stats/links")
                .then().statusCode(200).body("items.size()", equalTo(1)).body("items[0].clicks", equalTo(1));
    }

    @jakarta.inject.Inject
    dev.gazette.link.ClickRecorder clickRecorder;

    private Object openedAt(long deliveryId) throws Exception {
        try (var c = dataSource.getConnection(); var q = c.prepareStatement("select opened_at from delivery where id = ?")) {
            q.setLong(1, deliveryId);
            try (var rs = q.executeQuery()) {
                rs.next();
                return rs.getObject(1);
            }
        }
    }

    @jakarta.inject.Inject
    dev.gazette.subscriber.SuppressionService suppressionService;

    private String digestSuppressionHash(String email) {
        return suppressionService.hash(email);
    }

    static String text(MimeMessage message) throws Exception {
        return DigestScheduleTest.text(message);
    }
}
