package dev.gazette.social.connector.x;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.gazette.social.connector.ConnectorTestBase;
import dev.gazette.social.spi.ChannelAccess;
import dev.gazette.social.spi.LinkCard;
import dev.gazette.social.spi.Post;
import dev.gazette.social.spi.PublishResult;
import dev.gazette.social.spi.SessionStore;
import dev.gazette.social.spi.SocialHttp;
import dev.gazette.social.spi.TextFit;
import dev.gazette.social.spi.TextRules;
import dev.gazette.social.spi.Verification;

class XConnectorTest extends ConnectorTestBase {

    static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z"); // oauth_timestamp 1795860000
    static final String NONCE = "gazetteTestNonce0123456789";
    static final Map<String, String> CREDENTIALS = Map.of("apiKey", "test-consumer-key", "apiSecret",
            "test-consumer-secret", "accessToken", "12345-test-access-token", "accessTokenSecret", "test-token-secret");
    static final String LINK = "https://gazette.example/l/Xk3?utm_source=x&utm_medium=social&utm_campaign=night-trains";

    static SocialHttp http;

    XConnector connector;
    ChannelAccess channel;

    @BeforeAll
    static void start() {
        http = http(NOW);
        warmUp();
    }

    /**
     * The first requests to a fresh WireMock (and through a fresh client) can take longer than the 2 s request
     * timeout on a loaded machine; a few unmatched requests first keep the timing tests meaningful.
     */
    static void warmUp() {
        for (int i = 0; i < 3; i++) {
            try {
                http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.baseUrl() + "/__warm-up"))
                        .timeout(Duration.ofSeconds(30)).GET());
            } catch (SocialHttp.NotSent | SocialHttp.OutcomeUnknown e) {
                // only warming up
            }
        }
    }

    @BeforeEach
    void reset() {
        connector = new XConnector(server.baseUrl(), http, () -> NONCE);
        channel = new ChannelAccess(7L, null, null, CREDENTIALS, SessionStore.inMemory(), 0);
    }

    static Post article(String text) {
        return new Post(text, LINK, "Night trains are back", "Summary", List.of("rail"),
                new LinkCard(LINK, "Night trains are back", "Summary", null, null), "en", "dist-1", "article");
    }

    /**
     * The Authorization header X must receive, built here from its parts: only the oauth_* parameters are signed
     * (no query, and the JSON body is not a parameter), over the base string URI of the stub server.
     */
    static String expectedAuthorization(String method, String path) {
        String params = "oauth_consumer_key=test-consumer-key&oauth_nonce=" + NONCE
                + "&oauth_signature_method=HMAC-SHA1&oauth_timestamp=1795860000"
                + "&oauth_token=12345-test-access-token&oauth_version=1.0";
        String base = method + "&" + OAuth1Signer.percentEncode(server.baseUrl() + path) + "&"
                + OAuth1Signer.percentEncode(params);
        String signature = OAuth1Signer.signature(base, "test-consumer-secret", "test-token-secret");
        return "OAuth oauth_consumer_key=\"test-consumer-key\", oauth_nonce=\"" + NONCE + "\", oauth_signature=\""
                + OAuth1Signer.percentEncode(signature) + "\", oauth_signature_method=\"HMAC-SHA1\", "
                + "oauth_timestamp=\"1795860000\", oauth_token=\"12345-test-access-token\", oauth_version=\"1.0\"";
    }

    static String created(String id, String text) {
        return "{\"data\":{\"id\":\"" + id + "\",\"text\":" + SocialHttp.json().valueToTree(text) + "}}";
    }

    @Test
    void normalPostIsSentSignedAsJsonAndPublished() {
        String text = "Night trains are back\n\n" + LINK;
        server.stubFor(post("/2/tweets").willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(created("1862000000000000001", text))));

        PublishResult result = connector.publish(channel, article(text));

        assertEquals(new PublishResult.Published("1862000000000000001",
                "https://x.com/i/web/status/1862000000000000001"), result);
        server.verify(1, postRequestedFor(urlEqualTo("/2/tweets"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withHeader("User-Agent", equalTo("Gazette/test"))
                .withHeader("Authorization", equalTo(expectedAuthorization("POST", "/2/tweets")))
                .withRequestBody(equalToJson("{\"text\":\"Night trains are back\\n\\n" + LINK + "\"}")));
    }

    @Test
    void articleWithEmojiCjkAndLongTitleIsFittedToTheWeightedLimitKeepingTheLink() throws Exception {
        String title = "夜行列車が帰ってきた 🚆 — the long-awaited return of Europe's night trains, from Vienna to Amsterdam and "
                + "on to Paris, Berlin, Brussels and beyond, with new sleeper cars";
        String summary = "東京から札幌まで。Family trip 👨‍👩‍👧‍👦 across the continent: what it costs, how long it takes, "
                + "and why the couchettes sell out within minutes of opening. 日本語の説明も少し。";
        List<String> hashtags = List.of("#rail", "#夜行列車", "#travel");
        TextRules rules = connector.textRules(channel);
        String fitted = TextFit.fit((t, s, h, l) -> t + "\n\n" + s + "\n\n" + l + "\n\n" + h, title, summary, hashtags,
                LINK, rules);
        server.stubFor(post("/2/tweets").willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(created("1862000000000000002", fitted))));

        PublishResult result = connector.publish(channel, article(fitted));

        assertInstanceOf(PublishResult.Published.class, result);
        LoggedRequest request = server.getAllServeEvents().get(0).getRequest();
        JsonNode body = SocialHttp.json().readTree(request.getBodyAsString());
        String sent = body.get("text").asText();
        assertEquals(fitted, sent);
        assertEquals(1, body.size()); // {"text": ...} and nothing else
        assertTrue(rules.length(sent) <= 280, "weighted length " + rules.length(sent));
        assertTrue(rules.length(sent) > 250, "the fit should use the room it has: " + rules.length(sent));
        assertTrue(sent.contains(LINK), sent);
        assertTrue(sent.startsWith("夜行列車が帰ってきた 🚆"), sent);
        assertNotEquals(title + "\n\n" + summary + "\n\n" + LINK + "\n\n" + String.join(" ", hashtags), sent);
        assertEquals(expectedAuthorization("POST", "/2/tweets"), request.getHeader("Authorization"));
    }

    @Test
    void rateLimitedPostWaitsUntilTheWindowResets() {
        server.stubFor(post("/2/tweets").willReturn(aResponse().withStatus(429)
                .withHeader("Content-Type", "application/problem+json")
                .withHeader("x-rate-limit-limit", "100")
                .withHeader("x-rate-limit-remaining", "0")
                .withHeader("x-rate-limit-reset", "1795860731")
                .withBody("{\"title\":\"Too Many Requests\",\"detail\":\"Too Many Requests\",\"type\":\"about:blank\",\"status\":429}")));

        PublishResult result = connector.publish(channel, article("Hello " + LINK));

        assertEquals(new PublishResult.Retryable(Instant.ofEpochSecond(1795860731), true, "Too Many Requests"), result);
    }

    @Test
    void exhaustedTwentyFourHourUserLimitWaitsForItsOwnReset() {
        server.stubFor(post("/2/tweets").willReturn(aResponse().withStatus(429)
                .withHeader("x-rate-limit-limit", "100")
                .withHeader("x-rate-limit-remaining", "97")
                .withHeader("x-rate-limit-reset", "1795860731")
                .withHeader("x-user-limit-24hour-limit", "17")
                .withHeader("x-user-limit-24hour-remaining", "0")
                .withHeader("x-user-limit-24hour-reset", "1795921234")
                .withBody("{\"title\":\"Too Many Requests\",\"detail\":\"Too Many Requests\",\"type\":\"about:blank\",\"status\":429}")));

        PublishResult result = connector.publish(channel, article("Hello " + LINK));

        assertEquals(new PublishResult.Retryable(Instant.parse("2026-11-29T03:00:34Z"), true, "Too Many Requests"),
                result);
    }

    @Test
    void refusedCredentialsExpireTheChannel() {
        server.stubFor(post("/2/tweets").willReturn(aResponse().withStatus(401)
                .withBody("{\"title\":\"Unauthorized\",\"type\":\"about:blank\",\"status\":401,\"detail\":\"Unauthorized\"}")));

        assertEquals(new PublishResult.AuthExpired("Unauthorized"), connector.publish(channel, article("Hello " + LINK)));
    }

    @Test
    void serverErrorIsRetryableAndTheNextAttemptPublishes() {
        server.stubFor(post("/2/tweets").inScenario("outage").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503).withBody("upstream connect error"))
                .willSetStateTo("recovered"));
        server.stubFor(post("/2/tweets").inScenario("outage").whenScenarioStateIs("recovered")
                .willReturn(aResponse().withStatus(201).withBody(created("1862000000000000003", "Hello"))));

        assertEquals(new PublishResult.Retryable(null, false, "HTTP 503"), connector.publish(channel, article("Hello " + LINK)));
        assertEquals(new PublishResult.Published("1862000000000000003", "https://x.com/i/web/status/1862000000000000003"),
                connector.publish(channel, article("Hello " + LINK)));
        server.verify(2, postRequestedFor(urlEqualTo("/2/tweets")));
    }

    @Test
    void noAnswerAfterSendingIsAnUnknownOutcomeAndIsNotRepeated() {
        server.stubFor(post("/2/tweets").willReturn(aResponse().withStatus(201).withFixedDelay(3500)
                .withBody(created("1862000000000000004", "Hello"))));

        PublishResult result = connector.publish(channel, article("Hello " + LINK));

        assertInstanceOf(PublishResult.UnknownOutcome.class, result);
        assertTrue(((PublishResult.UnknownOutcome) result).reason().contains("within 2 s after sending"), result.toString());
        assertEquals(1, server.getAllServeEvents().size());
    }

    @Test
    void duplicateTextIsRejectedWithXsDetail() {
        server.stubFor(post("/2/tweets").willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"detail\":\"You are not allowed to create a Tweet with duplicate content.\","
                        + "\"type\":\"about:blank\",\"title\":\"Forbidden\",\"status\":403}")));

        assertEquals(new PublishResult.Rejected("You are not allowed to create a Tweet with duplicate content."),
                connector.publish(channel, article("Hello " + LINK)));
    }

    @Test
    void unreachableApiIsRetryableBecauseNothingWasSent() {
        XConnector unreachable = new XConnector("http://127.0.0.1:1", http, () -> NONCE);

        PublishResult result = unreachable.publish(channel, article("Hello " + LINK));

        assertInstanceOf(PublishResult.Retryable.class, result);
        assertEquals(false, ((PublishResult.Retryable) result).channelWide());
    }

    @Test
    void missingCredentialAsksForReconnection() {
        ChannelAccess incomplete = new ChannelAccess(7L, null, null, Map.of("apiKey", "k"), SessionStore.inMemory(), 0);

        assertEquals(new PublishResult.AuthExpired("The channel has no apiSecret credential"),
                connector.publish(incomplete, article("Hello " + LINK)));
        assertEquals(0, server.getAllServeEvents().size());
    }

    @Test
    void verifyReadsTheUsernameWithASignedGet() {
        server.stubFor(get("/2/users/me").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"data\":{\"id\":\"2244994945\",\"name\":\"Gazette\",\"username\":\"gazette_news\"}}")));

        assertEquals(Verification.ok("@gazette_news"), connector.verify(channel));
        server.verify(1, getRequestedFor(urlEqualTo("/2/users/me"))
                .withHeader("Authorization", equalTo(expectedAuthorization("GET", "/2/users/me"))));
    }

    @Test
    void verifyReportsRefusedCredentials() {
        server.stubFor(get("/2/users/me").willReturn(aResponse().withStatus(401)
                .withBody("{\"title\":\"Unauthorized\",\"type\":\"about:blank\",\"status\":401,\"detail\":\"Unauthorized\"}")));

        assertEquals(Verification.refused("Unauthorized"), connector.verify(channel));
    }

    @Test
    void expectedAuthorizationUsesTheStubServersPort() {
        // Guards the helper above: the port is part of the signed URI when it is not the scheme's default.
        assertTrue(OAuth1Signer.baseStringUri(URI.create(server.baseUrl() + "/2/tweets")).endsWith(":" + server.port() + "/2/tweets"));
    }
}
