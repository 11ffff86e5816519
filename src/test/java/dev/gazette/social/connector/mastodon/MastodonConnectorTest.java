package dev.gazette.social.connector.mastodon;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gazette.social.connector.ConnectorTestBase;
import dev.gazette.social.spi.ChannelAccess;
import dev.gazette.social.spi.LinkCard;
import dev.gazette.social.spi.Post;
import dev.gazette.social.spi.PublishResult;
import dev.gazette.social.spi.SessionStore;
import dev.gazette.social.spi.SocialHttp;
import dev.gazette.social.spi.TextFit;
import dev.gazette.social.spi.TextRules;

/**
 * The requests Mastodon receives and how each documented answer is read.
 */
class MastodonConnectorTest extends ConnectorTestBase {

    static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    static final String LINK = "https://news.example.org/r/AbCdEfGhJk";
    final SocialHttp http = http(NOW);
    final MastodonConnector connector = new MastodonConnector(http);
    ChannelAccess channel;

    @BeforeEach
    void reset() {
        channel = new ChannelAccess(3, server.baseUrl(), null, Map.of("accessToken", "tok"), SessionStore.inMemory(), 0);
    }

    static Post article(String text) {
        return new Post(text, LINK, "Title", "Summary", List.of("Climate"), new LinkCard(LINK, "Title", "Summary", null, null),
                "fr-CA", "gazette-distribution-9-0", "article");
    }

    void answer(int status, String body) {
        server.stubFor(post(urlEqualTo("/api/v1/statuses")).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(body)));
    }

    @Test
    void postsTheStatusWithAStableIdempotencyKey() {
        answer(200, "{\"id\":\"109\",\"url\":\"https://social.example/@news/109\"}");
        assertEquals(new PublishResult.Published("109", "https://social.example/@news/109"),
                connector.publish(channel, article("Title\n\n" + LINK)));
        server.verify(1, postRequestedFor(urlEqualTo("/api/v1/statuses"))
                .withHeader("Authorization", equalTo("Bearer tok"))
                .withHeader("Idempotency-Key", equalTo("gazette-distribution-9-0"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("{\"status\":\"Title\\n\\n" + LINK + "\",\"visibility\":\"public\",\"language\":\"fr\"}")));
    }

    @Test
    void emojiCjkAndALongTitleFitTheInstanceLimit() {
        answer(200, "{\"id\":\"1\",\"url\":\"u\"}");
        ChannelAccess small = new ChannelAccess(3, server.baseUrl(), null, Map.of("accessToken", "tok"), SessionStore.inMemory(), 200);
        TextRules rules = connector.textRules(small);
        assertEquals(200, rules.limit());
        String title = "東京の気候会議 👩‍🔬🇯🇵 " + "long headline ".repeat(10).strip();
        String text = TextFit.fit((t, s, h, l) -> t + "\n\n" + s + "\n\n" + l + "\n\n" + h, title, "要約 " + "x".repeat(50),
                List.of("#Climate"), LINK, rules);
        // 153 code points of title, the link counted as 23, the hashtag: 10 characters are left for the summary
        assertEquals(200, rules.length(text), text);
        assertTrue(text.contains("\n\n要約 xxxxxx…\n\n" + LINK + "\n\n#Climate"), text);
        connector.publish(small, article(text));
        String sent = server.getAllServeEvents().get(0).getRequest().getBodyAsString();
        assertTrue(sent.startsWith("{\"status\":\"東京の気候会議 👩‍🔬🇯🇵 long headline"), sent);
        assertTrue(sent.contains("…\\n\\n" + LINK + "\\n\\n#Climate\""), sent);
    }

    @Test
    void aRateLimitNamesItsResetTime() {
        server.stubFor(post(urlEqualTo("/api/v1/statuses")).willReturn(aResponse().withStatus(429)
                .withHeader("X-RateLimit-Limit", "300").withHeader("X-RateLimit-Remaining", "0")
                .withHeader("X-RateLimit-Reset", "2026-11-28T10:05:00.123456Z")
                .withBody("{\"error\":\"Too many requests\"}")));
        assertEquals(new PublishResult.Retryable(Instant.parse("2026-11-28T10:05:00.123456Z"), true, "Too many requests"),
                connector.publish(channel, article("x")));
    }

    @Test
    void aRevokedTokenNeedsReauthorisation() {
        answer(401, "{\"error\":\"The access token was revoked\"}");
        assertEquals(new PublishResult.AuthExpired("The access token was revoked"), connector.publish(channel, article("x")));
    }

    @Test
    void aServerErrorIsRetryableThenTheSameRequestSucceeds() {
        server.stubFor(post(urlEqualTo("/api/v1/statuses")).inScenario("s").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(502).withBody("<html>Bad Gateway</html>")).willSetStateTo("up"));
        server.stubFor(post(urlEqualTo("/api/v1/statuses")).inScenario("s").whenScenarioStateIs("up")
                .willReturn(aResponse().withBody("{\"id\":\"2\",\"url\":\"https://social.example/@news/2\"}")));
        assertEquals(new PublishResult.Retryable(null, false, "HTTP 502"), connector.publish(channel, article("x")));
        assertEquals(new PublishResult.Published("2", "https://social.example/@news/2"), connector.publish(channel, article("x")));
    }

    @Test
    void noAnswerAfterSendingIsAnUnknownOutcome() {
        server.stubFor(post(urlEqualTo("/api/v1/statuses")).willReturn(aResponse().withFixedDelay(3000).withBody("{}")));
        assertEquals(new PublishResult.UnknownOutcome("No answer from localhost within 2 s after sending"),
                connector.publish(channel, article("x")));
        server.verify(1, postRequestedFor(urlEqualTo("/api/v1/statuses")));
    }

    @Test
    void aValidationErrorIsRejectedInMastodonsWords() {
        // Mastodon has no duplicate check (the Idempotency-Key is the guard); its refusals are validation errors
        answer(422, "{\"error\":\"Validation failed: Text character limit of 500 exceeded\"}");
        assertEquals(new PublishResult.Rejected("Validation failed: Text character limit of 500 exceeded"),
                connector.publish(channel, article("x")));
    }

    @Test
    void anInstanceOnAPrivateAddressIsRefusedUnlessAllowed() {
        SocialHttp guarded = new SocialHttp(Duration.ofSeconds(2), Duration.ofSeconds(2), false, "Gazette/test",
                Clock.fixed(NOW, ZoneOffset.UTC));
        PublishResult result = new MastodonConnector(guarded).publish(channel, article("x"));
        assertTrue(result instanceof PublishResult.Rejected r && r.reason().contains("non-public address"), result.toString());
        assertEquals(0, server.getAllServeEvents().size());
    }
}
