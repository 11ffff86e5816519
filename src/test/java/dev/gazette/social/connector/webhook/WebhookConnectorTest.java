package dev.gazette.social.connector.webhook;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.gazette.common.WebhookSignature;
import dev.gazette.social.Network;
import dev.gazette.social.connector.ConnectorTestBase;
import dev.gazette.social.spi.ChannelAccess;
import dev.gazette.social.spi.Graphemes;
import dev.gazette.social.spi.LinkCard;
import dev.gazette.social.spi.Post;
import dev.gazette.social.spi.PublishResult;
import dev.gazette.social.spi.SessionStore;
import dev.gazette.social.spi.SocialHttp;
import dev.gazette.social.spi.TextFit;
import dev.gazette.social.spi.Verification;

class WebhookConnectorTest extends ConnectorTestBase {

    static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    static final String SECRET = "gazette-test-secret-0123456789";
    static final String PATH = "/hooks/gazette";
    static final String LINK = "https://gazette.example/l/k3y?utm_source=webhook&utm_medium=social&utm_campaign=rates";
    static final String IMAGE = "https://gazette.example/img/rates.jpg";

    final SocialHttp http = http(NOW);
    final WebhookConnector connector = new WebhookConnector(10_000, http);
    ChannelAccess channel;

    @BeforeEach
    void reset() {
        channel = channel(SECRET);
    }

    ChannelAccess channel(String secret) {
        return new ChannelAccess(7, server.baseUrl() + PATH, null, Map.of("secret", secret), SessionStore.inMemory(), 0);
    }

    static Post article(String text, String kind) {
        return new Post(text, LINK, "Rates & rents", "Why rents rise", List.of("housing", "economy"),
                new LinkCard(LINK, "Rates & rents", "Why rents rise", IMAGE, "A chart of rents"), "en", "dist-42",
                kind);
    }

    private void answer(int status, String body) {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(status).withBody(body)));
    }

    @Test
    void describesItself() {
        assertEquals(Network.WEBHOOK, connector.network());
        assertTrue(connector.usesBaseUrl());
        assertEquals(Optional.empty(), connector.defaultBaseUrl());
        assertTrue(connector.sendsCard());
        assertEquals(List.of("secret"), connector.credentialFields().stream().map(f -> f.name()).toList());
        assertEquals(10_000, connector.textRules(channel).limit());
    }

    @Test
    void deliversASignedEventThatAReceiverCanCheck() {
        answer(204, "");

        PublishResult result = connector.publish(channel, article("Rates & rents\n\n" + LINK, "article"));

        assertEquals(new PublishResult.Published("dist-42", null), result);
        server.verify(1, postRequestedFor(urlEqualTo(PATH))
                .withHeader("Content-Type", equalTo("application/json"))
                .withHeader("User-Agent", equalTo("Gazette/test"))
                .withHeader("X-Gazette-Event", equalTo("article.published"))
                .withHeader("X-Gazette-Delivery", equalTo("dist-42"))
                .withRequestBody(equalToJson("""
                        {"event":"article.published","id":"dist-42","title":"Rates & rents",
                         "summary":"Why rents rise","url":"%s","text":"Rates & rents\\n\\n%s",
                         "topics":["housing","economy"],"language":"en",
                         "card":{"url":"%s","title":"Rates & rents","description":"Why rents rise",
                                 "imageUrl":"%s","imageAlt":"A chart of rents"},
                         "sentAt":"2026-11-28T10:00:00Z"}""".formatted(LINK, LINK, LINK, IMAGE))));
        LoggedRequest request = server.getAllServeEvents().get(0).getRequest();
        String body = request.getBodyAsString();
        String signature = request.getHeader("X-Gazette-Signature");
        assertEquals("t=1795860000,v1=" + WebhookSignature.sign(SECRET, 1795860000L, body), signature);
        assertTrue(WebhookSignature.verify(SECRET, signature, body, NOW.plusSeconds(60)));
        assertFalse(WebhookSignature.verify("not-the-channel-secret-0", signature, body, NOW));
    }

    @Test
    void aDigestAnnouncementIsADigestEvent() {
        answer(200, "{\"received\":true}");

        connector.publish(channel, article("Issue 12 is out " + LINK, "digest_announcement"));

        server.verify(postRequestedFor(urlEqualTo(PATH)).withHeader("X-Gazette-Event", equalTo("digest.published"))
                .withRequestBody(equalToJson("{\"event\":\"digest.published\"}", true, true)));
    }

    @Test
    void fitsEmojiCjkAndALongTitleIntoTheGraphemeLimitAndKeepsTheLink() throws Exception {
        answer(200, "");
        String title = "🇯🇵 東京の家賃が上がる理由 — why rents keep rising 👩‍👩‍👧 ".repeat(40).strip();
        String summary = "家賃と金利の関係を詳しく説明します 🏠📈 ".repeat(600);
        TextFit.Template template = (t, s, h, l) -> t + "\n\n" + s + "\n\n" + l + "\n\n" + h;

        String fitted = TextFit.fit(template, title, summary, List.of("#住宅", "#rates"), LINK,
                connector.textRules(channel));
        connector.publish(channel, article(fitted, "article"));

        JsonNode sent = SocialHttp.json().readTree(server.getAllServeEvents().get(0).getRequest().getBodyAsString());
        String text = sent.get("text").asText();
        assertEquals(fitted, text);
        int graphemes = Graphemes.count(text);
        assertTrue(graphemes <= 10_000 && graphemes > 9_900, "fitted to 10,000 graphemes: " + graphemes);
        assertTrue(text.startsWith(title));
        assertTrue(text.contains("\n\n" + LINK), "the whole link survives");
        assertTrue(text.contains("#rates"), "hashtags are kept: the summary gives way first");
    }

    @Test
    void aRateLimitWaitsUntilRetryAfter() {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "Sat, 28 Nov 2026 10:02:00 GMT").withBody("slow down")));

        assertEquals(new PublishResult.Retryable(Instant.parse("2026-11-28T10:02:00Z"), true, "HTTP 429: slow down"),
                connector.publish(channel, article("Hi " + LINK, "article")));
    }

    @Test
    void aReceiverRefusingOurSignatureOrGoneNeedsAnEditor() {
        answer(401, "{\"error\":\"bad signature\"}");
        assertEquals(new PublishResult.AuthExpired("HTTP 401: {\"error\":\"bad signature\"}"),
                connector.publish(channel, article("Hi " + LINK, "article")));

        server.resetAll();
        answer(410, "");
        assertEquals(new PublishResult.AuthExpired("HTTP 410"),
                connector.publish(channel, article("Hi " + LINK, "article")));
    }

    @Test
    void aServerErrorIsRetryableAndTheNextAttemptDelivers() {
        server.stubFor(post(urlEqualTo(PATH)).inScenario("flaky").whenScenarioStateIs(STARTED).willSetStateTo("up")
                .willReturn(aResponse().withStatus(503).withBody("maintenance")));
        server.stubFor(post(urlEqualTo(PATH)).inScenario("flaky").whenScenarioStateIs("up")
                .willReturn(aResponse().withStatus(200)));

        assertEquals(new PublishResult.Retryable(null, false, "HTTP 503: maintenance"),
                connector.publish(channel, article("Hi " + LINK, "article")));
        assertEquals(new PublishResult.Published("dist-42", null),
                connector.publish(channel, article("Hi " + LINK, "article")));
        List<LoggedRequest> requests = server.findAll(postRequestedFor(urlEqualTo(PATH)));
        assertEquals(2, requests.size());
        assertEquals("dist-42", requests.get(0).getHeader("X-Gazette-Delivery"));
        assertEquals("dist-42", requests.get(1).getHeader("X-Gazette-Delivery"), "the same delivery id: dedupe");
    }

    @Test
    void noAnswerAfterSendingIsAnUnknownOutcomeAndIsNotRepeated() {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200).withFixedDelay(3000)));

        assertEquals(new PublishResult.UnknownOutcome("No answer from localhost within 2 s after sending"),
                connector.publish(channel, article("Hi " + LINK, "article")));
        assertEquals(1, server.getAllServeEvents().size());
    }

    @Test
    void aRefusalIsRejectedWithTheStartOfTheReceiversBody() {
        answer(409, "{\"error\":\"duplicate delivery dist-42\"}");
        assertEquals(new PublishResult.Rejected("HTTP 409: {\"error\":\"duplicate delivery dist-42\"}"),
                connector.publish(channel, article("Hi " + LINK, "article")));

        server.resetAll();
        answer(422, "x".repeat(500));
        assertEquals(new PublishResult.Rejected("HTTP 422: " + "x".repeat(300) + "…"),
                connector.publish(channel, article("Hi " + LINK, "article")));
    }

    @Test
    void verifyChecksOnlyLocallyAndPostsNothing() {
        assertEquals(Verification.ok("webhook: not checked"), connector.verify(channel));
        assertEquals(Verification.refused("The signing secret is too short: use at least 16 characters"),
                connector.verify(channel("short")));
        assertEquals(0, server.getAllServeEvents().size());
    }

    @Test
    void aShortSecretOrABadUrlNeedsAnEditorBeforeAnythingIsSent() {
        assertEquals(new PublishResult.AuthExpired("The signing secret is too short: use at least 16 characters"),
                connector.publish(channel("short"), article("Hi " + LINK, "article")));
        ChannelAccess ftp = new ChannelAccess(7, "ftp://receiver.example/in", null, Map.of("secret", SECRET),
                SessionStore.inMemory(), 0);
        assertEquals(new PublishResult.AuthExpired(
                "The receiver URL is not an http(s) URL without a #fragment: ftp://receiver.example/in"),
                connector.publish(ftp, article("Hi " + LINK, "article")));
        assertEquals(0, server.getAllServeEvents().size());
    }
}
