package dev.gazette.lifecycle;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.gazette.lifecycle.WebhookTestSupport.PATH;
import static dev.gazette.lifecycle.WebhookTestSupport.assertSigned;
import static dev.gazette.lifecycle.WebhookTestSupport.endpoint;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.mail.Multipart;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;

import dev.gazette.common.events.EventLog;
import dev.gazette.digest.DigestPlanner;
import dev.gazette.digest.DigestSender;
import dev.gazette.subscriber.Frequency;
import dev.gazette.subscriber.Subscriber;
import dev.gazette.subscriber.SubscriptionService;
import dev.gazette.subscriber.SuppressionReason;
import dev.gazette.subscriber.SuppressionService;
import dev.gazette.testing.GazetteTest;
import dev.gazette.testing.TestClock;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Event webhooks end to end: real changes write events in their transactions, the dispatcher posts them to WireMock,
 * and the tests check what the receiver got (signature computed independently), the at-least-once recovery of rows
 * left behind, back-off and pausing, and a receiver that hangs.
 */
@QuarkusTest
class WebhookDeliveryTest extends GazetteTest {

    /** The schema the webhooks guide publishes. */
    private static final JsonSchema SCHEMA = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
            .getSchema(readSchema());

    private static String readSchema() {
        try {
            return Files.readString(Path.of("docs/guide/webhook-event.schema.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final Pattern CONFIRM_LINK = Pattern.compile("http://localhost:8080(/confirm/[A-Za-z0-9_.-]+)");

    @Inject
    WebhookDispatcher dispatcher;

    @Inject
    WebhookLedger ledger;

    @Inject
    SubscriptionService subscriptions;

    @Inject
    SuppressionService suppressions;

    @Inject
    DigestSender sender;

    @Inject
    DigestPlanner planner;

    @Inject
    ObjectMapper json;

    private String token;

    @BeforeEach
    void editor() {
        token = fixtures.editorToken();
    }

    private void receiverAnswers(int status) {
        wireMock.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(status)));
    }

    private List<LoggedRequest> received() {
        return wireMock.findAll(postRequestedFor(urlEqualTo(PATH)));
    }

    private static Subscriber reader(String emailKey) {
        return QuarkusTransaction.requiringNew().call(() -> Subscriber.findByEmailKey(emailKey).orElseThrow());
    }

    private WebhookDelivery onlyDelivery() {
        return QuarkusTransaction.requiringNew().call(() -> WebhookDelivery.<WebhookDelivery> findAll().singleResult());
    }

    @Test
    void everyEventReachesTheReceiverOnceWithAValidSignature() throws Exception {
        endpoint(token, wireMock.baseUrl(), null);
        receiverAnswers(204);
        fixtures.topic("Climate", "climate");

        // subscriber.created, .confirmed, .updated, .unsubscribed: a reader's whole path
        given().contentType("application/x-www-form-urlencoded").formParam("email", "ada@example.org")
                .when().post("/subscribe").then().statusCode(200);
        assertTrue(greenMail.waitForIncomingEmail(5000, 1));
        String text = ((Multipart) greenMail.getReceivedMessages()[0].getContent()).getBodyPart(0).getContent().toString();
        Matcher confirm = CONFIRM_LINK.matcher(text);
        assertTrue(confirm.find(), text);
        given().when().post(confirm.group(1)).then().statusCode(200);
        long ada = reader("ada@example.org").id;
        subscriptions.updatePreferences(ada, new SubscriptionService.Preferences("Ada", List.of(), true, Frequency.DAILY,
                "Europe/Paris", 0));
        subscriptions.unsubscribe(ada, "by the reader");
        // subscriber.suppressed, by a bounce
        fixtures.activeSubscriber("gone@example.org");
        suppressions.suppress("gone@example.org", SuppressionReason.HARD_BOUNCE, "550 no such user");
        // subscribers.imported: one summary for the whole file
        importList("Email,Name\nbo@example.org,Bo\ncy@example.org,Cy\nnot-an-address,X\n");
        // article.published and issue.sent
        fixtures.published("Storm warning for the coast", "Winds of 120 km/h.", "climate");
        fixtures.activeSubscriber("digest@example.org");
        fixtures.digestIssue("World this morning", "world");
        sender.sendDue();
        planner.planDue();
        assertTrue(received().isEmpty(), "events wait for the dispatcher");

        dispatcher.deliverDue();

        List<LoggedRequest> requests = received();
        Map<String, JsonNode> byType = new TreeMap<>();
        Set<String> deliveryIds = new HashSet<>();
        for (LoggedRequest request : requests) {
            assertSigned(request, TestClock.START.getEpochSecond());
            JsonNode body = json.readTree(request.getBodyAsString());
            assertEquals(Set.of(), SCHEMA.validate(body), "the documented schema: " + body);
            String type = request.getHeader("X-Gazette-Event");
            assertEquals(type, body.path("type").asText());
            assertEquals("application/json", request.getHeader("Content-Type"));
            assertTrue(deliveryIds.add(UUID.fromString(request.getHeader("X-Gazette-Delivery")).toString()));
            UUID.fromString(body.path("id").asText());
            assertEquals(TestClock.START.toString(), body.path("createdAt").asText());
            assertEquals(null, byType.put(type, body.path("data")), "one " + type + " only: " + requests.size());
        }
        assertEquals(Set.copyOf(EventLog.TYPES), byType.keySet());
        assertEquals(EventLog.TYPES.size(), requests.size());

        assertEquals("ada@example.org", byType.get("subscriber.created").path("subscriber").path("email").asText());
        assertEquals("form", byType.get("subscriber.created").path("source").asText());
        assertEquals("active", byType.get("subscriber.confirmed").path("subscriber").path("status").asText());
        assertEquals("Ada", byType.get("subscriber.updated").path("subscriber").path("name").asText());
        assertEquals("Europe/Paris", byType.get("subscriber.updated").path("subscriber").path("timezone").asText());
        assertEquals("by the reader", byType.get("subscriber.unsubscribed").path("how").asText());
        assertEquals("bounce", byType.get("subscriber.suppressed").path("reason").asText());
        assertEquals("gone@example.org", byType.get("subscriber.suppressed").path("subscriber").path("email").asText());
        JsonNode imported = byType.get("subscribers.imported");
        assertEquals(3, imported.path("rows").asInt());
        assertEquals(2, imported.path("created").asInt());
        assertEquals(1, imported.path("invalid").asInt());
        JsonNode article = byType.get("article.published").path("article");
        assertEquals("Storm warning for the coast", article.path("title").asText());
        assertEquals(List.of("climate"), json.convertValue(article.path("topics"), List.class));
        JsonNode issue = byType.get("issue.sent").path("issue");
        assertEquals(1, issue.path("number").asInt());
        assertEquals(3, issue.path("sent").asInt(), "digest@, and bo@ and cy@ from the import");
        assertEquals("done", issue.path("status").asText());

        // delivered once: a later run sends nothing again
        assertEquals(0, dispatcher.deliverDue());
        assertEquals(EventLog.TYPES.size(), received().size());
    }

    private void importList(String csv) throws InterruptedException {
        long id = ((Number) given().auth().oauth2(token).contentType("text/csv").body(csv).queryParam("fileName", "list.csv")
                .when().post("/api/v1/subscribers/imports").then().statusCode(202).extract().path("id")).longValue();
        for (int i = 0; i < 200; i++) {
            String status = given().auth().oauth2(token).when().get("/api/v1/subscribers/imports/" + id).then()
                    .extract().path("status");
            if (!"RUNNING".equals(status)) {
                assertEquals("DONE", status);
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("import " + id + " did not finish");
    }

    @Test
    void onlyTheChosenEventTypesAreDelivered() {
        endpoint(token, wireMock.baseUrl(), "[\"subscriber.suppressed\"]");
        receiverAnswers(200);
        fixtures.published("Storm warning for the coast", "Winds of 120 km/h.");
        fixtures.activeSubscriber("gone@example.org");
        suppressions.suppress("gone@example.org", SuppressionReason.COMPLAINT, "ARF");

        assertEquals(1, dispatcher.deliverDue());
        assertEquals("subscriber.suppressed", received().get(0).getHeader("X-Gazette-Event"));
    }

    @Test
    void aDeliveryLeftBehindByACrashedDispatcherIsSentByALaterRun() throws Exception {
        endpoint(token, wireMock.baseUrl(), null);
        receiverAnswers(200);
        fixtures.published("Storm warning for the coast", "Winds of 120 km/h.");
        // committed with the publication, then the process stops before any dispatcher runs: the row is waiting
        assertEquals(WebhookDelivery.Status.PENDING, onlyDelivery().status);
        // a dispatcher claims it and dies before sending: its lease keeps others off until it runs out
        assertEquals(1, ledger.claim("crashed-instance", clock.instant(), Duration.ofMinutes(2), 10).size());
        assertEquals(0, dispatcher.deliverDue());
        assertTrue(received().isEmpty());

        clock.advance(Duration.ofMinutes(2));
        assertEquals(1, dispatcher.deliverDue());

        assertEquals(1, received().size());
        assertSigned(received().get(0), clock.instant().getEpochSecond());
        WebhookDelivery d = onlyDelivery();
        assertEquals(WebhookDelivery.Status.DELIVERED, d.status);
        assertEquals(2, d.attempts);
        assertEquals(d.deliveryId.toString(), received().get(0).getHeader("X-Gazette-Delivery"));
        // the crashed instance's late answer changes nothing
        ledger.failed(d.id, d.endpointId, "crashed-instance", 500, "late", clock.instant(), 10, clock.instant());
        assertEquals(WebhookDelivery.Status.DELIVERED, onlyDelivery().status);
    }

    /** The Prometheus counter of webhook attempts (0 before the first), read as the scraper does. */
    private static double attempts(String type, String outcome) {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("gazette_webhooks_deliveries_total\\{outcome=\"" + outcome + "\",type=\"" + Pattern.quote(type)
                + "\"} ([0-9.E]+)").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void aFailingReceiverIsRetriedWithBackOffThenThePausedEndpointResumes() {
        double retriedBefore = attempts("article.published", "retry");
        double deliveredBefore = attempts("article.published", "delivered");
        long id = endpoint(token, wireMock.baseUrl(), null);
        receiverAnswers(500);
        fixtures.published("First", "One.");
        fixtures.published("Second", "Two.");

        // 2 deliveries, failing: retried after 30 s, 1, 2 and 4 min; the 10th failure in a row pauses the endpoint
        long[] waits = { 30, 60, 120, 240 };
        assertEquals(2, dispatcher.deliverDue());
        for (long wait : waits) {
            clock.advance(Duration.ofSeconds(wait - 1));
            assertEquals(0, dispatcher.deliverDue(), "not before " + wait + " s");
            clock.advance(Duration.ofSeconds(1));
            assertEquals(2, dispatcher.deliverDue());
        }
        assertEquals(10, received().size());
        given().auth().oauth2(token).when().get("/api/v1/webhooks/" + id).then().statusCode(200)
                .body("paused", equalTo(true)).body("consecutiveFailures", equalTo(10));
        given().auth().oauth2(token).when().get("/api/v1/webhooks/" + id + "/deliveries").then().statusCode(200)
                .body("[0].status", equalTo("RETRY")).body("[0].attempts", equalTo(5)).body("[0].responseCode", equalTo(500));
        clock.advance(Duration.ofHours(2));
        assertEquals(0, dispatcher.deliverDue(), "a paused endpoint gets nothing");

        receiverAnswers(200);
        given().auth().oauth2(token).when().post("/api/v1/webhooks/" + id + "/resume").then().statusCode(200)
                .body("paused", equalTo(false));
        assertEquals(2, dispatcher.deliverDue());
        assertEquals(12, received().size());
        given().auth().oauth2(token).when().get("/api/v1/webhooks/" + id + "/deliveries").then().statusCode(200)
                .body("status", equalTo(List.of("DELIVERED", "DELIVERED")));
        assertEquals(10, attempts("article.published", "retry") - retriedBefore);
        assertEquals(2, attempts("article.published", "delivered") - deliveredBefore);
    }

    @Test
    void aReceiverThatHangsTimesOutAndIsRetriedWhileARefusalFailsForGood() {
        endpoint(token, wireMock.baseUrl(), null);
        wireMock.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200).withFixedDelay(4000)));
        fixtures.published("Storm warning for the coast", "Winds of 120 km/h.");

        assertEquals(1, dispatcher.deliverDue());
        WebhookDelivery d = onlyDelivery();
        assertEquals(WebhookDelivery.Status.RETRY, d.status);
        assertTrue(d.error.startsWith("No answer from"), d.error);
        assertEquals(clock.instant().plusSeconds(30), d.nextAttemptAt);

        receiverAnswers(404);
        clock.advance(Duration.ofSeconds(30));
        assertEquals(1, dispatcher.deliverDue());
        d = onlyDelivery();
        assertEquals(WebhookDelivery.Status.FAILED, d.status);
        assertEquals(404, d.responseCode);
        clock.advance(Duration.ofHours(1));
        assertEquals(0, dispatcher.deliverDue(), "a 404 is not retried");

        // an editor replays it; the receiver now takes it, with the same delivery id
        receiverAnswers(200);
        given().auth().oauth2(token).when().post("/api/v1/webhooks/" + d.endpointId + "/deliveries/" + d.id + "/replay")
                .then().statusCode(202);
        assertEquals(1, dispatcher.deliverDue());
        assertEquals(WebhookDelivery.Status.DELIVERED, onlyDelivery().status);
        List<LoggedRequest> requests = received();
        assertEquals(d.deliveryId.toString(), requests.get(requests.size() - 1).getHeader("X-Gazette-Delivery"));
    }
}
