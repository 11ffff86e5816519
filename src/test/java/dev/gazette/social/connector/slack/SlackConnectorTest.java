package dev.gazette.social.connector.slack;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.gazette.social.Network;
import dev.gazette.social.connector.ConnectorTestBase;
import dev.gazette.social.spi.ChannelAccess;
import dev.gazette.social.spi.LinkCard;
import dev.gazette.social.spi.Post;
import dev.gazette.social.spi.PublishResult;
import dev.gazette.social.spi.SessionStore;
import dev.gazette.social.spi.SocialHttp;
import dev.gazette.social.spi.TextFit;
import dev.gazette.social.spi.Verification;

class SlackConnectorTest extends ConnectorTestBase {

    static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    static final String SECRET = "xT9kQ2mZ8vB4nR7pL3wY6cJ1";
    static final String HOOK = "/services/T0AAA1111/B0BBB2222/" + SECRET;
    static final String LINK = "https://gazette.example/l/k3y?utm_source=slack&utm_medium=social&utm_campaign=rates";
    static final String SENT_LINK = "<https://gazette.example/l/k3y?utm_source=slack&amp;utm_medium=social&amp;utm_campaign=rates>";

    final SocialHttp http = http(NOW);
    SlackConnector connector;
    ChannelAccess channel;

    @BeforeEach
    void reset() {
        connector = new SlackConnector(List.of(server.baseUrl() + "/services/"), http);
        channel = channel(server.baseUrl() + HOOK);
    }

    static ChannelAccess channel(String webhookUrl) {
        return new ChannelAccess(7, null, null, Map.of("webhookUrl", webhookUrl), SessionStore.inMemory(), 0);
    }

    static Post article(String text) {
        return new Post(text, LINK, "Rates & rents", "Why rents rise", List.of("housing"),
                new LinkCard(LINK, "Rates & rents", "Why rents rise", null, null), "en", "dist-42", "article");
    }

    private void answer(int status, String body) {
        server.stubFor(post(urlEqualTo(HOOK)).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "text/html").withBody(body)));
    }

    @Test
    void describesItself() {
        assertEquals(Network.SLACK, connector.network());
        assertEquals(List.of("webhookUrl"), connector.credentialFields().stream().map(f -> f.name()).toList());
        assertEquals(4000, connector.textRules(channel).limit());
        assertFalse(connector.sendsCard(), "Slack unfurls the link itself");
    }

    @Test
    void postsEscapedTextWithTheLinkMarkedUp() {
        answer(200, "ok");

        PublishResult result = connector.publish(channel, article("Rates & rents <2026>: up again\n\n" + LINK));

        assertEquals(new PublishResult.Published(null, null), result, "a webhook gives no id and no permalink");
        server.verify(1, postRequestedFor(urlEqualTo(HOOK))
                .withHeader("Content-Type", equalTo("application/json"))
                .withHeader("User-Agent", equalTo("Gazette/test"))
                .withRequestBody(equalToJson("""
                        {"text":"Rates &amp; rents &lt;2026&gt;: up again\\n\\n%s",
                         "unfurl_links":true,"unfurl_media":true}""".formatted(SENT_LINK))));
    }

    @Test
    void fitsEmojiCjkAndALongTitleIntoFourThousandAndKeepsTheLink() throws Exception {
        answer(200, "ok");
        String title = "🇯🇵 東京の家賃が上がる理由 — why rents in Tokyo keep rising 👩‍👩‍👧 ".repeat(10).strip();
        String summary = "家賃と金利の関係を詳しく説明します 🏠📈 ".repeat(200);
        TextFit.Template template = (t, s, h, l) -> t + "\n\n" + s + "\n\n" + l + "\n\n" + h;

        String fitted = TextFit.fit(template, title, summary, List.of("#住宅", "#rates"), LINK,
                connector.textRules(channel));
        connector.publish(channel, article(fitted));

        JsonNode sent = SocialHttp.json().readTree(server.getAllServeEvents().get(0).getRequest().getBodyAsString());
        String text = sent.get("text").asText();
        assertEquals(SlackConnector.render(fitted), text);
        assertTrue(fitted.length() <= 4000 && fitted.length() > 3900, "fitted to 4,000: " + fitted.length());
        assertTrue(text.length() < 40_000, "far below Slack's hard cap");
        assertTrue(text.startsWith(title));
        assertTrue(text.contains("\n\n" + SENT_LINK), "the whole link survives");
        assertTrue(text.contains("…"));
        assertTrue(text.contains("#rates"), "hashtags are kept: the summary gives way first");
    }

    @Test
    void aRateLimitWaitsExactlyRetryAfter() {
        server.stubFor(post(urlEqualTo(HOOK)).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "30")
                .withBody("rate_limited")));

        assertEquals(new PublishResult.Retryable(NOW.plusSeconds(30), true, "rate_limited"),
                connector.publish(channel, article("Hi " + LINK)));
    }

    @Test
    void aRevokedRemovedOrArchivedWebhookNeedsAnEditor() {
        answer(403, "invalid_token");
        assertEquals(new PublishResult.AuthExpired("invalid_token (the webhook's token is invalid or revoked)"),
                connector.publish(channel, article("Hi " + LINK)));

        server.resetAll();
        answer(404, "no_service");
        assertEquals(new PublishResult.AuthExpired("no_service (the webhook is disabled, removed or invalid)"),
                connector.publish(channel, article("Hi " + LINK)));

        server.resetAll();
        answer(410, "channel_is_archived");
        assertEquals(new PublishResult.AuthExpired("channel_is_archived (the webhook's channel is archived)"),
                connector.publish(channel, article("Hi " + LINK)));

        server.resetAll();
        answer(401, "");
        assertEquals(new PublishResult.AuthExpired("HTTP 401"), connector.publish(channel, article("Hi " + LINK)));
    }

    @Test
    void aServerErrorIsRetryableAndTheNextAttemptPublishes() {
        server.stubFor(post(urlEqualTo(HOOK)).inScenario("flaky").whenScenarioStateIs(STARTED).willSetStateTo("up")
                .willReturn(aResponse().withStatus(500).withBody("rollup_error")));
        server.stubFor(post(urlEqualTo(HOOK)).inScenario("flaky").whenScenarioStateIs("up")
                .willReturn(aResponse().withStatus(200).withBody("ok")));

        assertEquals(new PublishResult.Retryable(null, false, "rollup_error (an error inside Slack)"),
                connector.publish(channel, article("Hi " + LINK)));
        assertEquals(new PublishResult.Published(null, null), connector.publish(channel, article("Hi " + LINK)));
        server.verify(2, postRequestedFor(urlEqualTo(HOOK)));
    }

    @Test
    void noAnswerAfterSendingIsAnUnknownOutcomeAndIsNotRepeated() {
        server.stubFor(post(urlEqualTo(HOOK)).willReturn(aResponse().withStatus(200).withBody("ok")
                .withFixedDelay(3000)));

        assertEquals(new PublishResult.UnknownOutcome("No answer from localhost within 2 s after sending"),
                connector.publish(channel, article("Hi " + LINK)));
        assertEquals(1, server.getAllServeEvents().size());
    }

    @Test
    void anUnreadableMessageIsRejectedWithSlacksCode() {
        // Slack has no duplicate-content check; invalid_payload is its refusal of one message.
        answer(400, "invalid_payload");

        assertEquals(new PublishResult.Rejected("invalid_payload (Slack could not read the message)"),
                connector.publish(channel, article("Hi " + LINK)));
    }

    @Test
    void refusesAUrlThatIsNotAnIncomingWebhookWithoutSendingAnything() {
        ChannelAccess elsewhere = channel("https://hooks.example.com/services/T0AAA1111/B0BBB2222/" + SECRET);

        PublishResult.AuthExpired refused = assertInstanceOf(PublishResult.AuthExpired.class,
                connector.publish(elsewhere, article("Hi " + LINK)));
        assertTrue(refused.reason().startsWith("The webhook URL is missing or not a Slack incoming-webhook URL"));
        assertFalse(connector.verify(channel(server.baseUrl() + "/services/T0AAA1111/../x")).ok());
        assertEquals(0, server.getAllServeEvents().size());
    }

    @Test
    void verifySendsAnEmptyPayloadThatSlackRefusesWhenTheWebhookIsAlive() {
        answer(400, "no_text");

        Verification verification = connector.verify(channel);

        assertEquals(Verification.ok(
                "incoming webhook (live: Slack answered an empty test message with \"no_text\"; nothing was posted)"),
                verification);
        server.verify(1, postRequestedFor(urlEqualTo(HOOK)).withRequestBody(equalToJson("{}")));
    }

    @Test
    void verifyRefusesARemovedWebhook() {
        answer(404, "no_service");

        assertEquals(Verification.refused("no_service (the webhook is disabled, removed or invalid)"),
                connector.verify(channel));
    }
}
