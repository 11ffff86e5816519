package dev.gazette.social;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.gazette.article.Article;
import dev.gazette.link.TrackedLink;
import dev.gazette.testing.GazetteTest;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The distribution ledger end to end, with Mastodon on WireMock: what the network receives, and what editors see.
 */
@QuarkusTest
class SocialPublishingTest extends GazetteTest {

    private static final String TOKEN = "mastodon-token-secret-123";

    @Inject
    SocialPublisher publisher;

    @Inject
    DistributionLedger ledger;

    String editor;

    @BeforeEach
    void editor() {
        editor = fixtures.editorToken();
        fixtures.topic("Climate", "climate");
        fixtures.topic("Sport", "sport");
    }

    long mastodonChannel(Map<String, Object> extra) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("network", "MASTODON", "name", "Mastodon",
                "baseUrl", wireMock.baseUrl() + "/", "credentials", Map.of("accessToken", TOKEN)));
        body.putAll(extra);
        return given().auth().oauth2(editor).contentType(ContentType.JSON).body(body)
                .post("/api/v1/channels").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    void statusesAnswer(int status, String body) {
        wireMock.stubFor(post(urlEqualTo("/api/v1/statuses")).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(body)));
    }

    static String created(String id) {
        return "{\"id\":\"" + id + "\",\"url\":\"https://social.example/@news/" + id + "\",\"content\":\"<p>…</p>\"}";
    }

    Distribution only(long articleId) {
        List<Distribution> rows = QuarkusTransaction.requiringNew().call(() -> Distribution.<Distribution>list("articleId", articleId));
        assertEquals(1, rows.size(), "one distribution per article and channel");
        return rows.get(0);
    }

    Channel channel(long id) {
        return QuarkusTransaction.requiringNew().call(() -> Channel.findById(id));
    }

    List<LoggedRequest> posts() {
        return wireMock.findAll(postRequestedFor(urlEqualTo("/api/v1/statuses")));
    }

    @Test
    void credentialsAreWriteOnlyAndSealed() {
        long id = mastodonChannel(Map.of());
        given().auth().oauth2(editor).get("/api/v1/channels/" + id).then().statusCode(200)
                .body("credentials", equalTo(List.of("accessToken")))
                .body("baseUrl", equalTo(wireMock.baseUrl()))
                .body(not(containsString(TOKEN)));
        given().auth().oauth2(editor).get("/api/v1/channels").then().statusCode(200).body(not(containsString(TOKEN)));
        byte[] stored = channel(id).credentials;
        assertFalse(new String(stored, StandardCharsets.ISO_8859_1).contains(TOKEN), "encrypted at rest");
        assertFalse(new String(stored, StandardCharsets.ISO_8859_1).contains("accessToken"), "field names too");
    }

    @Test
    void invalidChannelsAreRefusedNamingTheField() {
        given().auth().oauth2(editor).contentType(ContentType.JSON)
                .body(Map.of("network", "MASTODON", "name", "M", "baseUrl", wireMock.baseUrl()))
                .post("/api/v1/channels").then().statusCode(400).contentType("application/problem+json")
                .body("violations.field", hasItem("credentials.accessToken"));
        given().auth().oauth2(editor).contentType(ContentType.JSON)
                .body(Map.of("network", "MASTODON", "name", "M", "credentials", Map.of("accessToken", "t")))
                .post("/api/v1/channels").then().statusCode(400).body("violations.field", hasItem("baseUrl"));
        given().auth().oauth2(editor).contentType(ContentType.JSON)
                .body(Map.of("network", "MASTODON", "name", "M", "baseUrl", wireMock.baseUrl(),
                        "credentials", Map.of("accessToken", "t", "password", "x"), "template", "{title} only",
                        "timeZone", "Mars/Olympus", "postFrom", "08:00"))
                .post("/api/v1/channels").then().statusCode(400)
                .body("violations.field", hasItem("credentials.password"))
                .body("violations.field", hasItem("template"))
                .body("violations.field", hasItem("timeZone"))
                .body("violations.field", hasItem("postUntil"))
                .body("violations.find { it.field == 'template' }.message", containsString("{link}"));
        given().auth().oauth2(editor).contentType(ContentType.JSON)
                .body(Map.of("network", "FRIENDSTER", "name", "M"))
                .post("/api/v1/channels").then().statusCode(400);
    }

    @Test
    void aPublishedArticleIsPostedOnceWithItsTrackedLink() {
        long channelId = mastodonChannel(Map.of("topics", List.of("climate")));
        statusesAnswer(200, created("111"));
        Article article = fixtures.published("Glaciers retreat faster", "Body.", "climate");
        Article other = fixtures.published("Cup final", "Body.", "sport");

        Distribution pending = only(article.id);
        assertEquals(DistributionStatus.PENDING, pending.status);
        assertEquals(0, QuarkusTransaction.requiringNew().call(() -> Distribution.count("articleId", other.id)),
                "the channel posts climate only");

        assertEquals(1, publisher.publishDue());
        List<LoggedRequest> sent = posts();
        assertEquals(1, sent.size());
        LoggedRequest request = sent.get(0);
        assertEquals("Bearer " + TOKEN, request.getHeader("Authorization"));
        assertEquals("gazette-distribution-" + pending.id + "-0", request.getHeader("Idempotency-Key"));
        Distribution done = only(article.id);
        TrackedLink link = QuarkusTransaction.requiringNew().call(() -> TrackedLink.findById(done.linkId));
        String shortUrl = "http://localhost:8080/r/" + link.code;
        assertEquals("{\"status\":\"Glaciers retreat faster\\n\\nSummary of Glaciers retreat faster\\n\\n" + shortUrl
                + "\\n\\n#Climate\",\"visibility\":\"public\",\"language\":\"en\"}", request.getBodyAsString());
        assertEquals("http://localhost:8080/articles/" + article.slug, link.targetUrl);
        assertEquals("mastodon", link.utmSource);
        assertEquals("social", link.utmMedium);
        assertEquals(article.slug, link.utmCampaign);

        assertEquals(DistributionStatus.PUBLISHED, done.status);
        assertEquals("111", done.externalId);
        assertEquals("https://social.example/@news/111", done.externalUrl);
        assertEquals(channelId, done.channelId);

        // nothing more to do; publishing the article again posts nothing new
        assertEquals(0, publisher.publishDue());
        fixtures.articles().unpublish(article.id);
        fixtures.articles().publishNow(article.id);
        assertEquals(0, publisher.publishDue());
        assertEquals(1, posts().size());
        given().auth().oauth2(editor).get("/api/v1/articles/" + article.id + "/distributions").then().statusCode(200)
                .body("[0].status", equalTo("PUBLISHED")).body("[0].externalUrl", equalTo("https://social.example/@news/111"))
                .body("[0].text", containsString(shortUrl));
    }

    @Test
    void aRateLimitPausesTheChannelUntilTheReset() {
        long channelId = mastodonChannel(Map.of());
        Instant reset = clock.instant().plus(Duration.ofMinutes(3));
        wireMock.stubFor(post(urlEqualTo("/api/v1/statuses")).willReturn(aResponse().withStatus(429)
                .withHeader("X-RateLimit-Limit", "300").withHeader("X-RateLimit-Remaining", "0")
                .withHeader("X-RateLimit-Reset", reset.toString()).withBody("{\"error\":\"Too many requests\"}")));
        Article article = fixtures.published("First", "Body.");
        Article second = fixtures.published("Second", "Body.");
        publisher.publishDue();
        assertEquals(1, posts().size(), "the second post waits for the channel");
        Channel paused = channel(channelId);
        assertEquals(ChannelStatus.PAUSED, paused.status);
        assertEquals(reset, paused.pausedUntil);
        assertTrue(paused.statusReason.contains("Too many requests"), paused.statusReason);
        Distribution waiting = only(article.id);
        assertEquals(DistributionStatus.RETRY, waiting.status);
        assertEquals(reset, waiting.notBefore);
        assertEquals(0, waiting.attempts, "a rate limit does not use up attempts");
        assertEquals(DistributionStatus.PENDING, only(second.id).status);

        clock.advance(Duration.ofMinutes(2));
        publisher.publishDue();
        assertEquals(1, posts().size(), "nothing is sent before the reset");

        // once the reset has passed the pause is over, whatever the next answer
        statusesAnswer(503, "{\"error\":\"Service Unavailable\"}");
        clock.advance(Duration.ofMinutes(2));
        publisher.publishDue();
        assertEquals(ChannelStatus.ACTIVE, channel(channelId).status);
        assertEquals(null, channel(channelId).statusReason);
        assertEquals(DistributionStatus.RETRY, only(article.id).status);

        statusesAnswer(200, created("5"));
        clock.advance(Duration.ofHours(1));
        assertEquals(2, publisher.publishDue());
        assertEquals(5, posts().size(), "one 429, two 503s, two successes");
        assertEquals(ChannelStatus.ACTIVE, channel(channelId).status);
        assertEquals(DistributionStatus.PUBLISHED, only(article.id).status);
    }

    @Test
    void revokedCredentialsStopTheChannelUntilAnEditorReconnects() {
        long channelId = mastodonChannel(Map.of());
        statusesAnswer(401, "{\"error\":\"The access token was revoked\"}");
        Article article = fixtures.published("First", "Body.");
        publisher.publishDue();
        Channel channel = channel(channelId);
        assertEquals(ChannelStatus.NEEDS_REAUTH, channel.status);
        assertTrue(channel.statusReason.contains("The access token was revoked"), channel.statusReason);
        assertEquals("The access token was revoked", only(article.id).error);

        clock.advance(Duration.ofHours(1));
        publisher.publishDue();
        assertEquals(1, posts().size(), "no more attempts while the channel needs re-authorisation");
        given().auth().oauth2(editor).get("/api/v1/channels/" + channelId).then()
                .body("status", equalTo("NEEDS_REAUTH")).body("statusReason", containsString("revoked"));

        statusesAnswer(200, created("9"));
        given().auth().oauth2(editor).contentType(ContentType.JSON).body(Map.of("credentials", Map.of("accessToken", "new-token")))
                .patch("/api/v1/channels/" + channelId).then().statusCode(200).body("status", equalTo("ACTIVE"));
        publisher.publishDue();
        assertEquals("Bearer new-token", posts().get(1).getHeader("Authorization"));
        assertEquals(DistributionStatus.PUBLISHED, only(article.id).status);
    }

    @Test
    void serverErrorsAreRetriedWithBackoffAndTheSameKey() {
        mastodonChannel(Map.of());
        wireMock.stubFor(post(urlEqualTo("/api/v1/statuses")).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503).withBody("{\"error\":\"Service Unavailable\"}")).willSetStateTo("up"));
        wireMock.stubFor(post(urlEqualTo("/api/v1/statuses")).inScenario("flaky").whenScenarioStateIs("up")
                .willReturn(aResponse().withStatus(200).withBody(created("77"))));
        Article article = fixtures.published("First", "Body.");
        publisher.publishDue();
        Distribution retry = only(article.id);
        assertEquals(DistributionStatus.RETRY, retry.status);
        assertEquals("Service Unavailable", retry.error);
        Duration wait = Duration.between(clock.instant(), retry.notBefore);
        assertTrue(wait.compareTo(Duration.ofSeconds(45)) >= 0 && wait.compareTo(Duration.ofSeconds(75)) <= 0, wait.toString());

        publisher.publishDue();
        assertEquals(1, posts().size(), "not before the backoff");
        clock.advance(Duration.ofMinutes(2));
        publisher.publishDue();
        assertEquals(2, posts().size());
        assertEquals(posts().get(0).getHeader("Idempotency-Key"), posts().get(1).getHeader("Idempotency-Key"));
        assertEquals(posts().get(0).getBodyAsString(), posts().get(1).getBodyAsString(), "the same words");
        Distribution done = only(article.id);
        assertEquals(DistributionStatus.PUBLISHED, done.status);
        assertEquals(2, done.attempts);
    }

    @Test
    void aTimeoutAfterSendingIsUnconfirmedAndNeverRepeated() {
        mastodonChannel(Map.of());
        wireMock.stubFor(post(urlEqualTo("/api/v1/statuses"))
                .willReturn(aResponse().withStatus(200).withBody(created("1")).withFixedDelay(3000)));
        Article article = fixtures.published("First", "Body.");
        publisher.publishDue();
        Distribution d = only(article.id);
        assertEquals(DistributionStatus.UNCONFIRMED, d.status);
        assertTrue(d.error.startsWith("No answer from"), d.error);
        clock.advance(Duration.ofHours(3));
        publisher.publishDue();
        assertEquals(1, posts().size(), "never repeated without an editor");

        given().auth().oauth2(editor).contentType(ContentType.JSON).body(Map.of("externalUrl", "https://social.example/@news/1"))
                .post("/api/v1/distributions/" + d.id + "/confirm").then().statusCode(200)
                .body("status", equalTo("PUBLISHED")).body("externalUrl", equalTo("https://social.example/@news/1"));
    }

    @Test
    void republishingNeedsAnExplicitFlagAndGetsANewKey() {
        mastodonChannel(Map.of());
        statusesAnswer(200, created("1"));
        Article article = fixtures.published("First", "Body.");
        publisher.publishDue();
        long id = only(article.id).id;
        given().auth().oauth2(editor).post("/api/v1/distributions/" + id + "/retry").then().statusCode(409)
                .body("violations[0].field", equalTo("republish"));
        given().auth().oauth2(editor).post("/api/v1/distributions/" + id + "/cancel").then().statusCode(409);
        given().auth().oauth2(editor).post("/api/v1/distributions/" + id + "/retry?republish=true").then().statusCode(200)
                .body("status", equalTo("PENDING")).body("externalId", nullValue());
        publisher.publishDue();
        assertEquals(2, posts().size());
        assertEquals("gazette-distribution-" + id + "-1", posts().get(1).getHeader("Idempotency-Key"));
    }

    @Test
    void aCrashWhilePublishingNeverPostsTwice() {
        mastodonChannel(Map.of());
        given().auth().oauth2(editor).contentType(ContentType.JSON)
                .body(Map.of("network", "MASTODON", "name", "Second account", "baseUrl", wireMock.baseUrl() + "/other",
                        "credentials", Map.of("accessToken", "other")))
                .post("/api/v1/channels").then().statusCode(201);
        wireMock.stubFor(post(com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching("(/other)?/api/v1/statuses"))
                .willReturn(aResponse().withStatus(200).withBody(created("1"))));
        Article article = fixtures.published("First", "Body.");
        // a publisher claims both rows and dies before any answer is recorded
        List<DistributionLedger.Claim> claimed = ledger.claim("crashed-instance", clock.instant(), 10);
        assertEquals(2, claimed.size());

        clock.advance(Duration.ofMinutes(1));
        assertEquals(0, publisher.publishDue(), "the lease still holds");

        // within Mastodon's idempotency window each post is repeated with its own unchanged key, which the network
        // recognises (it returns the first status instead of making a second)
        clock.advance(Duration.ofMinutes(2));
        publisher.publishDue();
        List<LoggedRequest> all = wireMock.findAll(postRequestedFor(com.github.tomakehurst.wiremock.client.WireMock
                .urlPathMatching(".*/api/v1/statuses")));
        assertEquals(2, all.size());
        assertEquals(claimed.stream().map(c -> "gazette-distribution-" + c.id() + "-0").sorted().toList(),
                all.stream().map(r -> r.getHeader("Idempotency-Key")).sorted().toList());
        List<Distribution> rows = QuarkusTransaction.requiringNew().call(() -> Distribution.<Distribution>list("articleId", article.id));
        rows.forEach(r -> assertEquals(DistributionStatus.PUBLISHED, r.status, "row " + r.id));

        // beyond the window nobody can tell: UNCONFIRMED, and no request at all
        Article second = fixtures.published("Second", "Body.");
        ledger.claim("crashed-instance", clock.instant(), 10);
        clock.advance(Duration.ofHours(2));
        wireMock.resetRequests();
        publisher.publishDue();
        assertEquals(0, wireMock.getAllServeEvents().size());
        List<Distribution> unconfirmed = QuarkusTransaction.requiringNew()
                .call(() -> Distribution.<Distribution>list("articleId", second.id));
        assertEquals(2, unconfirmed.size());
        unconfirmed.forEach(r -> {
            assertEquals(DistributionStatus.UNCONFIRMED, r.status);
            assertTrue(r.error.contains("interrupted"), r.error);
        });
    }

    @Test
    void verifyLearnsTheAccountAndTheInstanceLimit() {
        long id = mastodonChannel(Map.of());
        wireMock.stubFor(get(urlEqualTo("/api/v1/accounts/verify_credentials")).withHeader("Authorization", com.github.tomakehurst.wiremock.client.WireMock.equalTo("Bearer " + TOKEN))
                .willReturn(aResponse().withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":\"1\",\"username\":\"news\",\"acct\":\"news\"}")));
        wireMock.stubFor(get(urlEqualTo("/api/v2/instance")).willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody("{\"domain\":\"social.example\",\"configuration\":{\"statuses\":{\"max_characters\":1000,"
                        + "\"characters_reserved_per_url\":23}}}")));
        given().auth().oauth2(editor).post("/api/v1/channels/" + id + "/verify").then().statusCode(200)
                .body("ok", equalTo(true)).body("account", equalTo("@news@localhost"))
                .body("channel.maxCharacters", equalTo(1000));

        wireMock.stubFor(get(urlEqualTo("/api/v1/accounts/verify_credentials"))
                .willReturn(aResponse().withStatus(401).withBody("{\"error\":\"The access token is invalid\"}")));
        given().auth().oauth2(editor).post("/api/v1/channels/" + id + "/verify").then().statusCode(200)
                .body("ok", equalTo(false)).body("problem", equalTo("The access token is invalid"))
                .body("channel.status", equalTo("NEEDS_REAUTH"));
    }

    @Test
    void theSocialPreviewShowsTheExactTextAndItsCount() {
        long id = mastodonChannel(Map.of("template", "📰 {title}\n{summary}\n{link}\n{hashtags}"));
        // 282 characters of title, and a summary as long: together they exceed Mastodon's 500
        String title = "東京で気候会議が開幕 👨‍👩‍👧‍👦 🇯🇵 " + "a very long headline ".repeat(12).strip();
        Article article = fixtures.draft(title, "Body.", "climate");
        given().auth().oauth2(editor).get("/api/v1/articles/" + article.id + "/social-preview").then().statusCode(200)
                .body("[0].channelId", equalTo((int) id))
                .body("[0].limit", equalTo(500))
                .body("[0].unit", equalTo("characters"))
                .body("[0].fits", equalTo(true))
                .body("[0].length", org.hamcrest.Matchers.allOf(org.hamcrest.Matchers.greaterThan(490),
                        org.hamcrest.Matchers.lessThanOrEqualTo(500)))
                .body("[0].text", org.hamcrest.Matchers.startsWith("📰 " + title + "\nSummary of 東京"))
                .body("[0].text", containsString("…\nhttp://localhost:8080/r/xxxxxxxxxx\n#Climate"))
                .body("[0].linkFinal", equalTo(false))
                .body("[0].card.title", equalTo(title))
                .body("[0].cardSent", equalTo(false));
    }

    @Test
    void postingRulesDelayAndPostingHours() {
        long id = mastodonChannel(Map.of("delayMinutes", 30, "postFrom", "10:00", "postUntil", "18:00",
                "timeZone", "Europe/Paris"));
        statusesAnswer(200, created("1"));
        // TestClock starts at 09:00Z = 10:00 in Paris; due at 10:30 Paris
        Article article = fixtures.published("First", "Body.");
        assertEquals(clock.instant().plus(Duration.ofMinutes(30)), only(article.id).notBefore);
        publisher.publishDue();
        assertEquals(0, posts().size(), "not before the delay");
        clock.advance(Duration.ofHours(8)); // 18:00 Paris: outside the hours
        publisher.publishDue();
        assertEquals(0, posts().size());
        Distribution waiting = only(article.id);
        assertEquals(DistributionStatus.PENDING, waiting.status);
        assertEquals(Instant.parse("2026-03-03T09:00:00Z"), waiting.notBefore, "10:00 the next morning in Paris");
        assertEquals(0, waiting.attempts);
        clock.set(Instant.parse("2026-03-03T09:00:00Z"));
        publisher.publishDue();
        assertEquals(1, posts().size());
        assertEquals(id, only(article.id).channelId);
    }

    @Test
    void aDigestIssueCanBeAnnouncedWithItsWebCopy() {
        mastodonChannel(Map.of("template", "New issue: {title} {link}"));
        statusesAnswer(200, created("1"));
        long issueId = fixtures.digestIssue("World this morning", "world-morning");
        given().auth().oauth2(editor).contentType(ContentType.JSON).body("{}")
                .post("/api/v1/issues/" + issueId + "/announce").then().statusCode(200)
                .body("[0].kind", equalTo("DIGEST_ANNOUNCEMENT")).body("[0].status", equalTo("PENDING"));
        publisher.publishDue();
        String body = posts().get(0).getBodyAsString();
        assertTrue(body.contains("\"status\":\"New issue: World this morning http://localhost:8080/r/"), body);
        wireMock.verify(postRequestedFor(urlEqualTo("/api/v1/statuses"))
                .withRequestBody(matchingJsonPath("$.visibility", com.github.tomakehurst.wiremock.client.WireMock.equalTo("public"))));
        TrackedLink link = QuarkusTransaction.requiringNew().call(() -> TrackedLink.<TrackedLink>find("contextType",
                dev.gazette.link.LinkContextType.DISTRIBUTION).firstResult());
        assertEquals("http://localhost:8080/digests/world-morning/1", link.targetUrl);
        assertEquals("world-morning", link.utmCampaign);
    }

    @Test
    void channelsThatAnnounceDigestsPostEachSentIssueByThemselves() {
        mastodonChannel(Map.of("announceDigests", true, "autoPost", false, "template", "{title}: {link}"));
        statusesAnswer(200, created("1"));
        fixtures.activeSubscriber("reader@example.org");
        fixtures.published("Not posted: auto-post is off", "Body.");
        long issueId = fixtures.digestIssue("World this morning", "world-morning");
        publisher.publishDue();
        assertEquals(0, posts().size(), "an issue still sending is not announced");

        // the issue is sent: its delivery went out and the planner closed it
        clock.advance(Duration.ofMinutes(5));
        QuarkusTransaction.requiringNew().run(() -> {
            dev.gazette.digest.DigestIssue.update("status = ?1, completedAt = ?2 where id = ?3",
                    dev.gazette.digest.IssueStatus.DONE, clock.instant(), issueId);
            io.quarkus.hibernate.orm.panache.Panache.getEntityManager()
                    .createNativeQuery("update delivery set status = 'SENT' where issue_id = :id").setParameter("id", issueId)
                    .executeUpdate();
        });
        publisher.publishDue();
        assertEquals(1, posts().size());
        assertTrue(posts().get(0).getBodyAsString().startsWith("{\"status\":\"World this morning: http://localhost:8080/r/"),
                posts().get(0).getBodyAsString());
        publisher.publishDue();
        assertEquals(1, posts().size(), "once");
    }
}
