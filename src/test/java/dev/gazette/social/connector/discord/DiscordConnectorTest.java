package dev.gazette.social.connector.discord;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
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

class DiscordConnectorTest extends ConnectorTestBase {

    static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    static final String TOKEN = "tOk3n_Secret-Part.xyz";
    static final String EXECUTE = "/api/v10/webhooks/112233445566/" + TOKEN + "?wait=true";
    static final String LINK = "https://gazette.example/l/k3y?utm_source=discord&utm_medium=social&utm_campaign=rates";
    static final String IMAGE = "https://gazette.example/img/rates.jpg";
    static final String CREATED = """
            {"id":"1311111111111111111","type":0,"content":"…","channel_id":"998877","webhook_id":"112233445566",
             "author":{"id":"112233445566","username":"Gazette","bot":true},"embeds":[]}""";

    final SocialHttp http = http(NOW);
    DiscordConnector connector;
    ChannelAccess channel;

    @BeforeEach
    void reset() {
        connector = new DiscordConnector(10, List.of(server.baseUrl() + "/api"), http);
        channel = channel(server.baseUrl() + "/api/webhooks/112233445566/" + TOKEN);
    }

    static ChannelAccess channel(String webhookUrl) {
        return new ChannelAccess(7, null, null, Map.of("webhookUrl", webhookUrl), SessionStore.inMemory(), 0);
    }

    static Post article(String text) {
        return new Post(text, LINK, "Rates *and* rents", "Why rents_rise", List.of("housing"),
                new LinkCard(LINK, "Rates *and* rents", "Why rents_rise", IMAGE, "A chart"),
                "en", "dist-42", "article");
    }

    @Test
    void describesItself() {
        assertEquals(Network.DISCORD, connector.network());
        assertEquals(List.of("webhookUrl"), connector.credentialFields().stream().map(f -> f.name()).toList());
        assertTrue(connector.sendsCard());
        assertEquals(2000, connector.textRules(channel).limit());
        assertEquals("a\\_b <https://x.example/a_b>".length(),
                connector.textRules(channel).length("a_b https://x.example/a_b"),
                "counts what is sent: escapes and the brackets around links");
    }

    @Test
    void executesTheWebhookWithEscapedMarkdownAnEmbedAndNoMentions() {
        server.stubFor(post(urlEqualTo(EXECUTE)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(CREATED)));

        PublishResult result = connector.publish(channel,
                article("Rates *and* rents_today @everyone\n\n" + LINK + "\n\n#housing #rates"));

        assertEquals(new PublishResult.Published("1311111111111111111", null), result);
        server.verify(1, postRequestedFor(urlEqualTo(EXECUTE))
                .withHeader("Content-Type", equalTo("application/json"))
                .withHeader("User-Agent", equalTo("Gazette/test"))
                .withRequestBody(equalToJson("""
                        {"content":"Rates \\\\*and\\\\* rents\\\\_today @everyone\\n\\n<%s>\\n\\n\\\\#housing #rates",
                         "embeds":[{"title":"Rates \\\\*and\\\\* rents","description":"Why rents\\\\_rise",
                                    "url":"%s","image":{"url":"%s"}}],
                         "allowed_mentions":{"parse":[]}}""".formatted(LINK, LINK, IMAGE))));
    }

    @Test
    void escapesMarkdownButNotInsideLinks() {
        assertEquals("\\# Big \\_news\\_ see <https://x.example/a_b?c=d_e>.",
                DiscordConnector.render("# Big _news_ see https://x.example/a_b?c=d_e."));
        assertEquals("\\> quoted \\*bold\\* https://x.example/a_b",
                DiscordConnector.escapeMarkdown("> quoted *bold* https://x.example/a_b"));
        assertEquals("(see <https://en.example/wiki/Foo_(bar)>)",
                DiscordConnector.render("(see https://en.example/wiki/Foo_(bar))"));
    }

    @Test
    void buildsTheMessageUrlWhenDiscordNamesTheServer() {
        server.stubFor(post(urlEqualTo(EXECUTE)).willReturn(aResponse().withStatus(200).withBody("""
                {"id":"1311","channel_id":"998877","guild_id":"554433"}""")));

        assertEquals(new PublishResult.Published("1311", "https://discord.com/channels/554433/998877/1311"),
                connector.publish(channel, article("Hi " + LINK)));
    }

    @Test
    void keepsAThreadIdAndAlwaysUsesTheConfiguredApiVersion() {
        server.stubFor(post(urlEqualTo("/api/v10/webhooks/112233445566/" + TOKEN + "?wait=true&thread_id=4242"))
                .willReturn(aResponse().withStatus(200).withBody(CREATED)));
        ChannelAccess thread = channel(server.baseUrl() + "/api/v6/webhooks/112233445566/" + TOKEN
                + "?wait=false&thread_id=4242");

        assertInstanceOf(PublishResult.Published.class, connector.publish(thread, article("Hi " + LINK)));
    }

    @Test
    void refusesAUrlThatIsNotADiscordWebhookWithoutSendingAnything() {
        ChannelAccess elsewhere = channel("https://evil.example/api/webhooks/112233445566/" + TOKEN);

        PublishResult.AuthExpired refused = assertInstanceOf(PublishResult.AuthExpired.class,
                connector.publish(elsewhere, article("Hi " + LINK)));
        assertTrue(refused.reason().startsWith("The webhook URL is missing or not a Discord webhook URL"));
        assertFalse(connector.verify(elsewhere).ok());
        assertFalse(connector.verify(channel(server.baseUrl() + "/api/channels/1/messages")).ok());
        assertEquals(0, server.getAllServeEvents().size());
    }

    @Test
    void fitsEmojiCjkEscapesAndALongTitleIntoTwoThousandAndKeepsTheLink() throws Exception {
        server.stubFor(post(urlEqualTo(EXECUTE)).willReturn(aResponse().withStatus(200).withBody(CREATED)));
        String title = "🇯🇵 東京の家賃 — why *rents* in Tokyo keep rising 👩‍👩‍👧 ".repeat(6).strip();
        String summary = "金利と家賃の関係 snake_case 🏠📈 ".repeat(120);
        TextFit.Template template = (t, s, h, l) -> t + "\n\n" + s + "\n\n" + l + "\n\n" + h;

        String fitted = TextFit.fit(template, title, summary, List.of("#住宅", "#rates"), LINK,
                connector.textRules(channel));
        connector.publish(channel, article(fitted));

        JsonNode sent = SocialHttp.json().readTree(server.getAllServeEvents().get(0).getRequest().getBodyAsString());
        String content = sent.get("content").asText();
        assertEquals(DiscordConnector.render(fitted), content);
        assertTrue(content.length() <= 2000, "Discord's limit, escapes included: " + content.length());
        assertTrue(content.length() > 1950, "the summary was shortened, not dropped: " + content.length());
        assertTrue(content.contains("\n\n<" + LINK + ">"), "the whole link survives, unescaped");
        assertTrue(content.contains("snake\\_case"));
        assertTrue(content.contains("…"));
        assertTrue(content.contains("#rates"), "hashtags are kept: the summary gives way first");
        assertTrue(content.startsWith(DiscordConnector.escapeMarkdown(title)), "the whole title survives");
    }

    @Test
    void aRateLimitWaitsExactlyRetryAfterFromTheBody() {
        server.stubFor(post(urlEqualTo(EXECUTE)).willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "3")
                .withHeader("X-RateLimit-Limit", "5")
                .withHeader("X-RateLimit-Remaining", "0")
                .withHeader("X-RateLimit-Reset-After", "2.5")
                .withHeader("X-RateLimit-Scope", "shared")
                .withBody("{\"message\":\"You are being rate limited.\",\"retry_after\":2.5,\"global\":false}")));

        assertEquals(new PublishResult.Retryable(Instant.parse("2026-11-28T10:00:02.500Z"), true,
                "You are being rate limited."), connector.publish(channel, article("Hi " + LINK)));
    }

    @Test
    void aRateLimitWithoutJsonFallsBackToTheResetAfterHeader() {
        server.stubFor(post(urlEqualTo(EXECUTE)).willReturn(aResponse().withStatus(429)
                .withHeader("X-RateLimit-Reset-After", "1.25").withBody("<html>error code: 1015</html>")));

        assertEquals(new PublishResult.Retryable(Instant.parse("2026-11-28T10:00:01.250Z"), true, "HTTP 429"),
                connector.publish(channel, article("Hi " + LINK)));
    }

    @Test
    void anInvalidOrDeletedWebhookNeedsAnEditor() {
        server.stubFor(post(urlEqualTo(EXECUTE)).willReturn(aResponse().withStatus(401)
                .withBody("{\"message\": \"Invalid Webhook Token\", \"code\": 50027}")));
        assertEquals(new PublishResult.AuthExpired("Invalid Webhook Token"),
                connector.publish(channel, article("Hi " + LINK)));

        server.resetAll();
        server.stubFor(post(urlEqualTo(EXECUTE)).willReturn(aResponse().withStatus(404)
                .withBody("{\"message\": \"Unknown Webhook\", \"code\": 10015}")));
        assertEquals(new PublishResult.AuthExpired("Unknown Webhook"),
                connector.publish(channel, article("Hi " + LINK)));
    }

    @Test
    void aServerErrorIsRetryableAndTheNextAttemptPublishes() {
        server.stubFor(post(urlEqualTo(EXECUTE)).inScenario("flaky").whenScenarioStateIs(STARTED).willSetStateTo("up")
                .willReturn(aResponse().withStatus(502).withBody("<html><body>502 Bad Gateway</body></html>")));
        server.stubFor(post(urlEqualTo(EXECUTE)).inScenario("flaky").whenScenarioStateIs("up")
                .willReturn(aResponse().withStatus(200).withBody(CREATED)));

        assertEquals(new PublishResult.Retryable(null, false, "HTTP 502"),
                connector.publish(channel, article("Hi " + LINK)));
        assertEquals(new PublishResult.Published("1311111111111111111", null),
                connector.publish(channel, article("Hi " + LINK)));
        server.verify(2, postRequestedFor(urlEqualTo(EXECUTE)));
    }

    @Test
    void noAnswerAfterSendingIsAnUnknownOutcomeAndIsNotRepeated() {
        server.stubFor(post(urlEqualTo(EXECUTE)).willReturn(aResponse().withStatus(200).withBody(CREATED)
                .withFixedDelay(3000)));

        assertEquals(new PublishResult.UnknownOutcome("No answer from localhost within 2 s after sending"),
                connector.publish(channel, article("Hi " + LINK)));
        assertEquals(1, server.getAllServeEvents().size());
    }

    @Test
    void anInvalidFormBodyIsRejectedWithDiscordsFieldErrors() {
        // Discord has no duplicate-content check; a 400 for a message is final for that message.
        server.stubFor(post(urlEqualTo(EXECUTE)).willReturn(aResponse().withStatus(400).withBody("""
                {"message": "Invalid Form Body", "code": 50035,
                 "errors": {"embeds": {"0": {"image": {"url": {"_errors": [
                     {"code": "URL_TYPE_INVALID_URL", "message": "Not a well formed URL."}]}}}}}}""")));

        assertEquals(new PublishResult.Rejected("Invalid Form Body (embeds.0.image.url: Not a well formed URL.)"),
                connector.publish(channel, article("Hi " + LINK)));
    }

    @Test
    void verifyReadsTheWebhooksName() {
        server.stubFor(get(urlEqualTo("/api/v10/webhooks/112233445566/" + TOKEN)).willReturn(aResponse()
                .withStatus(200).withBody("""
                        {"application_id":null,"avatar":null,"channel_id":"998877","guild_id":"554433",
                         "id":"112233445566","name":"Gazette bulletins","type":1,"token":"%s"}""".formatted(TOKEN))));

        assertEquals(Verification.ok("Gazette bulletins"), connector.verify(channel));
        server.verify(1, getRequestedFor(urlEqualTo("/api/v10/webhooks/112233445566/" + TOKEN)));
        assertEquals(0, server.findAll(postRequestedFor(anyUrl())).size(), "verify posts nothing");
    }

    @Test
    void verifyRefusesADeletedWebhook() {
        server.stubFor(get(urlEqualTo("/api/v10/webhooks/112233445566/" + TOKEN)).willReturn(aResponse()
                .withStatus(404).withBody("{\"message\": \"Unknown Webhook\", \"code\": 10015}")));

        assertEquals(Verification.refused("Unknown Webhook"), connector.verify(channel));
    }
}
