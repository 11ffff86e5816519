package dev.gazette.fediverse.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.gazette.article.Article;
import dev.gazette.fediverse.FediverseProfile;
import dev.gazette.testing.GazetteTest;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * Published articles reach the followers' servers, played by WireMock under two host names ({@code localhost} and
 * {@code 127.0.0.1}): one signed {@code Create} per shared inbox, or per personal inbox for a follower without one,
 * whose signature the test checks itself (JDK {@link Signature} over a base it builds) against the actor's published key.
 */
@QuarkusTest
@TestProfile(FediverseProfile.class)
class DeliveryTest extends GazetteTest {

    private static final String SHARED_INBOX = "/inbox";
    private static final String CAROL_INBOX = "/users/carol/inbox";
    private static final Pattern CAVAGE = Pattern.compile(
            "keyId=\"([^\"]+)\",algorithm=\"rsa-sha256\",headers=\"([^\"]+)\",signature=\"([^\"]+)\"");

    @Inject
    DeliveryPlanner planner;

    @Inject
    DeliverySender sender;

    @Inject
    MeterRegistry metrics;

    /** alice and bob on one server (localhost) sharing its inbox; carol on another (127.0.0.1) with no shared inbox. */
    private void threeFollowers(Instant followedAt) {
        String first = wireMock.baseUrl();
        String second = "http://127.0.0.1:" + wireMock.port();
        follower(first + "/users/alice", first + "/users/alice/inbox", first + SHARED_INBOX, followedAt);
        follower(first + "/users/bob", first + "/users/bob/inbox", first + SHARED_INBOX, followedAt);
        follower(second + "/users/carol", second + CAROL_INBOX, null, followedAt);
    }

    @Test
    void shouldDeliverOneSignedCreateToEachSharedInboxAndToAFollowerWithoutOne() throws Exception {
        threeFollowers(clock.instant().minus(Duration.ofDays(1)));
        wireMock.stubFor(post(urlEqualTo(SHARED_INBOX)).willReturn(aResponse().withStatus(202)));
        wireMock.stubFor(post(urlEqualTo(CAROL_INBOX)).willReturn(aResponse().withStatus(200)));
        double before = delivered();
        Article rivers = fixtures.published("Rivers in spring", "Water.");

        assertEquals(2, planner.plan());
        assertEquals(2, sender.sendDue());

        PublicKey ours = publicationKey();
        LoggedRequest shared = single(SHARED_INBOX);
        LoggedRequest carol = single(CAROL_INBOX);
        assertEquals("localhost:" + wireMock.port(), shared.getHeader("Host"));
        assertEquals("127.0.0.1:" + wireMock.port(), carol.getHeader("Host"));
        for (LoggedRequest request : List.of(shared, carol)) {
            assertEquals("application/activity+json", request.getHeader("Content-Type"));
            assertEquals("SHA-256=" + Base64.getEncoder().encodeToString(sha256(request.getBody())), request.getHeader("Digest"));
            assertCavage(request, ours, "post " + request.getUrl());
            JsonPath body = JsonPath.from(request.getBodyAsString());
            String url = FediverseProfile.BASE_URL + "/articles/" + rivers.slug;
            assertEquals("https://www.w3.org/ns/activitystreams", body.getString("'@context'[0]"));
            assertEquals(url + "#create", body.getString("id"));
            assertEquals("Create", body.getString("type"));
            assertEquals(FediverseProfile.ACTOR, body.getString("actor"));
            assertEquals(List.of("https://www.w3.org/ns/activitystreams#Public"), body.getList("to"));
            assertEquals(List.of(FediverseProfile.ACTOR + "/followers"), body.getList("cc"));
            assertEquals("Article", body.getString("object.type"));
            assertEquals(url, body.getString("object.id"));
            assertEquals("Rivers in spring", body.getString("object.name"));
        }
        assertEquals(0, wireMock.findAll(postRequestedFor(urlEqualTo("/users/alice/inbox"))).size());
        assertEquals(2, count("select count(*) from fediverse_delivery where status = 'DELIVERED' and attempts = 1"));
        assertEquals(2, delivered() - before);

        // a second plan (another run, a restart) makes no second activity
        clock.advance(Duration.ofMinutes(5));
        assertEquals(0, planner.plan());
        assertEquals(0, sender.sendDue());
        assertEquals(1, wireMock.findAll(postRequestedFor(urlEqualTo(SHARED_INBOX))).size());
        assertEquals(1, wireMock.findAll(postRequestedFor(urlEqualTo(CAROL_INBOX))).size());
    }

    @Test
    void shouldSignAgainWithRfc9421WhenTheInboxRefusesDraftCavage() throws Exception {
        follower(wireMock.baseUrl() + "/users/alice", wireMock.baseUrl() + "/users/alice/inbox",
                wireMock.baseUrl() + SHARED_INBOX, clock.instant().minus(Duration.ofHours(1)));
        wireMock.stubFor(post(urlEqualTo(SHARED_INBOX)).inScenario("knock").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(401)).willSetStateTo("second"));
        wireMock.stubFor(post(urlEqualTo(SHARED_INBOX)).inScenario("knock").whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(202)));
        fixtures.published("Rivers in spring", "Water.");

        planner.plan();
        sender.sendDue();

        List<LoggedRequest> posts = wireMock.findAll(postRequestedFor(urlEqualTo(SHARED_INBOX)));
        assertEquals(2, posts.size());
        assertTrue(posts.get(0).containsHeader("Signature") && !posts.get(0).containsHeader("Signature-Input"));
        LoggedRequest second = posts.get(1);
        String params = second.getHeader("Signature-Input").substring("sig1=".length());
        assertTrue(params.startsWith("(\"@method\" \"@target-uri\" \"content-digest\");created="
                + clock.instant().getEpochSecond() + ";"), params);
        String contentDigest = "sha-256=:" + Base64.getEncoder().encodeToString(sha256(second.getBody())) + ":";
        assertEquals(contentDigest, second.getHeader("Content-Digest"));
        String base = "\"@method\": POST\n\"@target-uri\": " + wireMock.baseUrl() + SHARED_INBOX
                + "\n\"content-digest\": " + contentDigest + "\n\"@signature-params\": " + params;
        String signature = second.getHeader("Signature");
        assertTrue(verify(publicationKey(), base, Base64.getDecoder().decode(signature.substring(6, signature.length() - 1))),
                "the RFC 9421 signature verifies against the actor's published key");
        assertEquals(1, count("select count(*) from fediverse_delivery where status = 'DELIVERED' and attempts = 1"));
    }

    @Test
    void shouldRetryAServerErrorLaterAndHoldTheHostsOtherDeliveriesWithIt() {
        follower(wireMock.baseUrl() + "/users/alice", wireMock.baseUrl() + "/users/alice/inbox",
                wireMock.baseUrl() + SHARED_INBOX, clock.instant().minus(Duration.ofHours(1)));
        wireMock.stubFor(post(urlEqualTo(SHARED_INBOX)).willReturn(aResponse().withStatus(500)));
        fixtures.published("Rivers in spring", "Water.");
        fixtures.published("Lakes in summer", "Still water.");

        assertEquals(2, planner.plan());
        assertEquals(2, sender.sendDue());
        assertEquals(1, wireMock.findAll(postRequestedFor(urlEqualTo(SHARED_INBOX))).size(),
                "after the host failed, its second delivery was not tried in the same run");
        assertEquals(2, count("select count(*) from fediverse_delivery where status = 'RETRY'"));
        assertEquals(0, sender.sendDue(), "not due before the back-off");

        wireMock.stubFor(post(urlEqualTo(SHARED_INBOX)).willReturn(aResponse().withStatus(202)));
        clock.advance(Duration.ofMinutes(2));
        assertEquals(2, sender.sendDue());
        assertEquals(3, wireMock.findAll(postRequestedFor(urlEqualTo(SHARED_INBOX))).size());
        assertEquals(2, count("select count(*) from fediverse_delivery where status = 'DELIVERED'"));
        assertEquals(1, count("select count(*) from fediverse_delivery where attempts = 2"));
    }

    @Test
    void shouldGiveUpOnAHostThatFailsForDaysAndNotRetryAClientError() {
        String second = "http://127.0.0.1:" + wireMock.port();
        follower(wireMock.baseUrl() + "/users/alice", wireMock.baseUrl() + "/users/alice/inbox",
                wireMock.baseUrl() + SHARED_INBOX, clock.instant().minus(Duration.ofHours(1)));
        follower(second + "/users/carol", second + CAROL_INBOX, null, clock.instant().minus(Duration.ofHours(1)));
        wireMock.stubFor(post(urlEqualTo(SHARED_INBOX)).willReturn(aResponse().withStatus(503)));
        wireMock.stubFor(post(urlEqualTo(CAROL_INBOX)).willReturn(aResponse().withStatus(403)));
        fixtures.published("Rivers in spring", "Water.");
        planner.plan();
        sender.sendDue();
        assertEquals(1, count("select count(*) from fediverse_delivery where status = 'FAILED' and last_error = 'HTTP 403'"));
        assertEquals(1, count("select count(*) from fediverse_delivery where status = 'RETRY'"));

        clock.advance(Duration.ofDays(3).plusMinutes(1));
        assertEquals(1, sender.sendDue());
        assertEquals(2, count("select count(*) from fediverse_delivery where status = 'FAILED'"));
        assertEquals(0, sender.sendDue());
        assertEquals(1, wireMock.findAll(postRequestedFor(urlEqualTo(CAROL_INBOX))).size());
    }

    @Test
    void shouldNotSendAFollowerArticlesPublishedBeforeItFollowed() {
        Article old = fixtures.published("From the archive", "Old.");
        clock.advance(Duration.ofHours(1));
        threeFollowers(clock.instant());
        wireMock.stubFor(post(urlEqualTo(SHARED_INBOX)).willReturn(aResponse().withStatus(202)));
        wireMock.stubFor(post(urlEqualTo(CAROL_INBOX)).willReturn(aResponse().withStatus(202)));
        clock.advance(Duration.ofHours(1));
        Article fresh = fixtures.published("News today", "New.");

        assertEquals(2, planner.plan());
        sender.sendDue();
        for (String inbox : List.of(SHARED_INBOX, CAROL_INBOX)) {
            LoggedRequest request = single(inbox);
            assertEquals(FediverseProfile.BASE_URL + "/articles/" + fresh.slug,
                    JsonPath.from(request.getBodyAsString()).getString("object.id"));
        }
        assertEquals(0, count("select count(*) from fediverse_delivery where article_id = " + old.id));
    }

    @Test
    void shouldNotDeliverToAnInboxWhoseFollowersAllLeft() {
        follower(wireMock.baseUrl() + "/users/alice", wireMock.baseUrl() + "/users/alice/inbox",
                wireMock.baseUrl() + SHARED_INBOX, clock.instant().minus(Duration.ofHours(1)));
        wireMock.stubFor(post(urlEqualTo(SHARED_INBOX)).willReturn(aResponse().withStatus(202)));
        fixtures.published("Rivers in spring", "Water.");
        assertEquals(1, planner.plan());
        execute("delete from fediverse_follower");

        assertEquals(1, sender.sendDue());
        assertEquals(0, wireMock.findAll(postRequestedFor(urlEqualTo(SHARED_INBOX))).size());
        assertEquals(1, count("select count(*) from fediverse_delivery where status = 'CANCELLED' and attempts = 0"),
                "cancelled, not failed: nothing was tried");
    }

    @Test
    void shouldDeleteAWithdrawnArticleWhereItsCreateArrived() throws Exception {
        threeFollowers(clock.instant().minus(Duration.ofDays(1)));
        wireMock.stubFor(post(urlEqualTo(SHARED_INBOX)).willReturn(aResponse().withStatus(202)));
        wireMock.stubFor(post(urlEqualTo(CAROL_INBOX)).willReturn(aResponse().withStatus(503)));
        Article rivers = fixtures.published("Rivers in spring", "Water.");
        planner.plan();
        sender.sendDue();
        assertEquals(0, planner.plan(), "nothing to delete while it is published");

        clock.advance(Duration.ofMinutes(10));
        fixtures.articles().unpublish(rivers.id);
        assertEquals(1, planner.plan(), "a Delete only where the Create arrived");
        assertEquals(2, sender.sendDue(), "the Delete, and carol's pending Create dropped");
        assertEquals(0, planner.plan());
        assertEquals(0, sender.sendDue());

        List<LoggedRequest> shared = wireMock.findAll(postRequestedFor(urlEqualTo(SHARED_INBOX)));
        assertEquals(2, shared.size());
        LoggedRequest delete = shared.get(1);
        assertCavage(delete, publicationKey(), "post " + SHARED_INBOX);
        JsonPath body = JsonPath.from(delete.getBodyAsString());
        String url = FediverseProfile.BASE_URL + "/articles/" + rivers.slug;
        assertEquals(url + "#delete", body.getString("id"));
        assertEquals("Delete", body.getString("type"));
        assertEquals(FediverseProfile.ACTOR, body.getString("actor"));
        assertEquals(url, body.getString("object.id"));
        assertEquals("Tombstone", body.getString("object.type"));
        assertEquals(1, wireMock.findAll(postRequestedFor(urlEqualTo(CAROL_INBOX))).size(), "the failed Create is not retried");
        assertEquals(0, count("select count(*) from fediverse_delivery where inbox like '%" + CAROL_INBOX + "'"),
                "the unsent Create is dropped, so publishing again can plan it anew");
    }

    @Test
    void shouldSendAnUpdateOncePerEditWhereTheCreateArrived() {
        threeFollowers(clock.instant().minus(Duration.ofDays(1)));
        wireMock.stubFor(post(urlEqualTo(SHARED_INBOX)).willReturn(aResponse().withStatus(202)));
        wireMock.stubFor(post(urlEqualTo(CAROL_INBOX)).willReturn(aResponse().withStatus(202)));
        Article rivers = fixtures.published("Rivers in spring", "Water.");
        planner.plan();
        sender.sendDue();

        clock.advance(Duration.ofMinutes(10));
        edit(rivers.id, "Rivers in late spring");
        assertEquals(2, planner.plan());
        assertEquals(2, sender.sendDue());
        assertEquals(0, planner.plan(), "the same edit is sent once");
        clock.advance(Duration.ofMinutes(10));
        edit(rivers.id, "Rivers in summer");
        assertEquals(2, planner.plan(), "a second edit is a new Update");
        sender.sendDue();

        List<LoggedRequest> shared = wireMock.findAll(postRequestedFor(urlEqualTo(SHARED_INBOX)));
        assertEquals(3, shared.size());
        assertEquals(3, wireMock.findAll(postRequestedFor(urlEqualTo(CAROL_INBOX))).size());
        JsonPath first = JsonPath.from(shared.get(1).getBodyAsString());
        JsonPath second = JsonPath.from(shared.get(2).getBodyAsString());
        String url = FediverseProfile.BASE_URL + "/articles/" + rivers.slug;
        assertEquals("Update", first.getString("type"));
        assertTrue(first.getString("id").startsWith(url + "#update-"), first.getString("id"));
        assertEquals("Rivers in late spring", first.getString("object.name"));
        assertEquals(url, first.getString("object.id"));
        assertEquals(clock.instant().minus(Duration.ofMinutes(10)).toString(), first.getString("object.updated"));
        assertEquals("Rivers in summer", second.getString("object.name"));
        assertTrue(!first.getString("id").equals(second.getString("id")), "each edit has its own activity id");
    }

    private void edit(long id, String title) {
        fixtures.articles().update(id, new dev.gazette.article.ArticleInput(title, null, null, null, null, null, null, null,
                null, null, null, null, null));
    }

    private LoggedRequest single(String path) {
        List<LoggedRequest> requests = wireMock.findAll(postRequestedFor(urlEqualTo(path)));
        assertEquals(1, requests.size(), path);
        return requests.get(0);
    }

    private double delivered() {
        return metrics.counter("gazette_fediverse_deliveries_total", "kind", "create", "outcome", "delivered").count();
    }

    private static void follower(String actor, String inbox, String sharedInbox, Instant followedAt) {
        QuarkusTransaction.requiringNew().run(() -> Panache.getEntityManager().createNativeQuery("""
                insert into fediverse_follower (actor_id, inbox, shared_inbox, host, follow_activity_id, accepted_at, created_at)
                values (:actor, :inbox, :shared, 'localhost', :follow, :at, :at)""").setParameter("actor", actor)
                .setParameter("inbox", inbox).setParameter("shared", sharedInbox).setParameter("follow", actor + "/follows/1")
                .setParameter("at", followedAt).executeUpdate());
    }

    private static long count(String sql) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) Panache.getEntityManager().createNativeQuery(sql)
                .getSingleResult()).longValue());
    }

    private static void execute(String sql) {
        QuarkusTransaction.requiringNew().run(() -> Panache.getEntityManager().createNativeQuery(sql).executeUpdate());
    }

    /** Checks a draft-cavage signature over a signing string this test builds from the request as received. */
    private static void assertCavage(LoggedRequest request, PublicKey key, String requestTarget) throws Exception {
        Matcher m = CAVAGE.matcher(request.getHeader("Signature"));
        assertTrue(m.matches(), request.getHeader("Signature"));
        assertEquals(FediverseProfile.ACTOR + "#main-key", m.group(1));
        assertEquals("(request-target) host date digest", m.group(2));
        String base = "(request-target): " + requestTarget + "\nhost: " + request.getHeader("Host") + "\ndate: "
                + request.getHeader("Date") + "\ndigest: " + request.getHeader("Digest");
        assertTrue(verify(key, base, Base64.getDecoder().decode(m.group(3))), "the signature verifies: " + base);
    }

    private static boolean verify(PublicKey key, String base, byte[] signature) throws Exception {
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(key);
        verifier.update(base.getBytes(StandardCharsets.UTF_8));
        return verifier.verify(signature);
    }

    private static byte[] sha256(byte[] body) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(body);
    }

    /** The publication's public key, as other servers read it from its actor. */
    private static PublicKey publicationKey() throws Exception {
        String pem = given().accept("application/activity+json").when().get("/ap/actor").then().statusCode(200)
                .extract().path("publicKey.publicKeyPem");
        String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }
}
