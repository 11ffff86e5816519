package dev.gazette.social.connector.telegram;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

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
import dev.gazette.social.spi.TextRules;
import dev.gazette.social.spi.Verification;

class TelegramConnectorTest extends ConnectorTestBase {

    static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    static final String TOKEN = "123456789:AAHtest_TOKEN-abcdefghijklmnop";
    static final String SEND = "/bot" + TOKEN + "/sendMessage";
    static final String LINK = "https://gazette.example/l/k3y?utm_source=telegram&utm_medium=social&utm_campaign=rates";
    static final String OK = """
            {"ok":true,"result":{"message_id":321,"date":1795860000,
             "chat":{"id":-1001234567890,"title":"Gazette","username":"gazette_news","type":"channel"},"text":"…"}}""";

    final SocialHttp http = http(NOW);
    final ChannelAccess channel = new ChannelAccess(7, null, "@gazette_news", Map.of("botToken", TOKEN),
            SessionStore.inMemory(), 0);
    TelegramConnector connector;

    @BeforeEach
    void reset() {
        connector = new TelegramConnector(server.baseUrl(), http);
    }

    static Post article(String text) {
        return new Post(text, LINK, "Rates & rents", "Why <rents> rise", List.of("housing"),
                new LinkCard(LINK, "Rates & rents", "Why rents rise", "https://gazette.example/img/rates.jpg", "A chart"),
                "en", "dist-42", "article");
    }

    @Test
    void describesItself() {
        assertEquals(Network.TELEGRAM, connector.network());
        assertEquals(List.of("botToken"), connector.credentialFields().stream().map(f -> f.name()).toList());
        assertFalse(connector.usesBaseUrl());
        TextRules rules = connector.textRules(channel);
        assertEquals(4096, rules.limit());
        assertEquals(2, rules.length("🌍"), "UTF-16 units: an emoji outside the BMP counts two");
    }

    @Test
    void postsHtmlEscapedTextWithTheLinkAsPreview() {
        server.stubFor(post(urlEqualTo(SEND)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(OK)));

        PublishResult result = connector.publish(channel, article("Rates & rents: <why> they rise\n\n" + LINK));

        assertEquals(new PublishResult.Published("321", "https://t.me/gazette_news/321"), result);
        server.verify(1, postRequestedFor(urlEqualTo(SEND))
                .withHeader("Content-Type", equalTo("application/json"))
                .withHeader("User-Agent", equalTo("Gazette/test"))
                .withRequestBody(equalToJson("""
                        {"chat_id":"@gazette_news",
                         "text":"Rates &amp; rents: &lt;why&gt; they rise\\n\\nhttps://gazette.example/l/k3y?utm_source=telegram&amp;utm_medium=social&amp;utm_campaign=rates",
                         "parse_mode":"HTML",
                         "link_preview_options":{"url":"%s","prefer_large_media":true}}""".formatted(LINK))));
    }

    @Test
    void aPrivateChannelHasNoPublicUrl() {
        server.stubFor(post(urlEqualTo(SEND)).willReturn(aResponse().withStatus(200).withBody("""
                {"ok":true,"result":{"message_id":55,"chat":{"id":-1009876543210,"title":"Private","type":"channel"}}}""")));
        ChannelAccess numeric = new ChannelAccess(8, null, "-1009876543210", Map.of("botToken", TOKEN),
                SessionStore.inMemory(), 0);

        assertEquals(new PublishResult.Published("55", null), connector.publish(numeric, article("Hello " + LINK)));
        server.verify(postRequestedFor(urlEqualTo(SEND))
                .withRequestBody(equalToJson("{\"chat_id\":\"-1009876543210\"}", true, true)));
    }

    @Test
    void fitsEmojiCjkAndALongTitleIntoTelegramsCountAndKeepsTheLink() throws Exception {
        server.stubFor(post(urlEqualTo(SEND)).willReturn(aResponse().withStatus(200).withBody(OK)));
        String title = "🇯🇵 東京の家賃が上がる理由 — why rents in Tokyo & Osaka keep rising 👩‍👩‍👧 ".repeat(12).strip();
        String summary = "家賃と金利の関係を詳しく説明します 🏠📈 <analysis> ".repeat(160);
        List<String> hashtags = List.of("#住宅", "#rates", "#東京");
        TextFit.Template template = (t, s, h, l) -> t + "\n\n" + s + "\n\n" + l + "\n\n" + h;

        String fitted = TextFit.fit(template, title, summary, hashtags, LINK, connector.textRules(channel));
        connector.publish(channel, article(fitted));

        JsonNode sent = SocialHttp.json().readTree(server.getAllServeEvents().get(0).getRequest().getBodyAsString());
        String parsed = unescapeHtml(sent.get("text").asText());
        assertEquals(fitted, parsed, "the sent text is the fitted text, HTML-escaped");
        assertTrue(parsed.length() <= 4096, "Telegram counts UTF-16 units after entity parsing: " + parsed.length());
        assertTrue(parsed.length() > 4000, "the summary was shortened, not dropped: " + parsed.length());
        assertTrue(parsed.startsWith(title), "the whole title survives");
        assertTrue(parsed.contains("\n\n" + LINK), "the whole link survives");
        assertTrue(parsed.contains("…"), "the summary was cut with an ellipsis");
        assertTrue(parsed.contains("#rates"), "hashtags are kept: the summary gives way first");
        assertEquals(Graphemes.count(parsed), Graphemes.count(fitted));
        assertTrue(sent.get("text").asText().contains("&lt;analysis&gt;"));
    }

    @Test
    void floodControlWaitsExactlyRetryAfterSeconds() {
        server.stubFor(post(urlEqualTo(SEND)).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "35")
                .withBody("""
                        {"ok":false,"error_code":429,"description":"Too Many Requests: retry after 35",
                         "parameters":{"retry_after":35}}""")));

        assertEquals(new PublishResult.Retryable(NOW.plusSeconds(35), true, "Too Many Requests: retry after 35"),
                connector.publish(channel, article("Hi " + LINK)));
    }

    @Test
    void aRevokedTokenNeedsAnEditor() {
        server.stubFor(post(urlEqualTo(SEND)).willReturn(aResponse().withStatus(401)
                .withBody("{\"ok\":false,\"error_code\":401,\"description\":\"Unauthorized\"}")));

        assertEquals(new PublishResult.AuthExpired("Unauthorized"), connector.publish(channel, article("Hi " + LINK)));
    }

    @Test
    void aBotRemovedFromTheChannelOrAWrongChatIdNeedsAnEditor() {
        server.stubFor(post(urlEqualTo(SEND)).willReturn(aResponse().withStatus(403).withBody("""
                {"ok":false,"error_code":403,"description":"Forbidden: bot was kicked from the channel chat"}""")));
        assertEquals(new PublishResult.AuthExpired("Forbidden: bot was kicked from the channel chat"),
                connector.publish(channel, article("Hi " + LINK)));

        server.resetAll();
        server.stubFor(post(urlEqualTo(SEND)).willReturn(aResponse().withStatus(400).withBody("""
                {"ok":false,"error_code":400,"description":"Bad Request: chat not found"}""")));
        assertEquals(new PublishResult.AuthExpired("Bad Request: chat not found"),
                connector.publish(channel, article("Hi " + LINK)));

        server.resetAll();
        server.stubFor(post(urlEqualTo(SEND)).willReturn(aResponse().withStatus(400).withBody("""
                {"ok":false,"error_code":400,"description":"Bad Request: group chat was upgraded to a supergroup chat",
                 "parameters":{"migrate_to_chat_id":-1001122334455}}""")));
        assertEquals(new PublishResult.AuthExpired("Bad Request: group chat was upgraded to a supergroup chat"
                + " (the chat's new id is -1001122334455)"), connector.publish(channel, article("Hi " + LINK)));
    }

    @Test
    void aServerErrorIsRetryableAndTheNextAttemptPublishes() {
        server.stubFor(post(urlEqualTo(SEND)).inScenario("flaky").whenScenarioStateIs(STARTED).willSetStateTo("up")
                .willReturn(aResponse().withStatus(502)
                        .withBody("{\"ok\":false,\"error_code\":502,\"description\":\"Bad Gateway\"}")));
        server.stubFor(post(urlEqualTo(SEND)).inScenario("flaky").whenScenarioStateIs("up")
                .willReturn(aResponse().withStatus(200).withBody(OK)));

        assertEquals(new PublishResult.Retryable(null, false, "Bad Gateway"),
                connector.publish(channel, article("Hi " + LINK)));
        assertEquals(new PublishResult.Published("321", "https://t.me/gazette_news/321"),
                connector.publish(channel, article("Hi " + LINK)));
        server.verify(2, postRequestedFor(urlEqualTo(SEND)));
    }

    @Test
    void noAnswerAfterSendingIsAnUnknownOutcomeAndIsNotRepeated() {
        server.stubFor(post(urlEqualTo(SEND)).willReturn(aResponse().withStatus(200).withBody(OK)
                .withFixedDelay(3000)));

        PublishResult result = connector.publish(channel, article("Hi " + LINK));

        PublishResult.UnknownOutcome unknown = assertInstanceOf(PublishResult.UnknownOutcome.class, result);
        assertEquals("No answer from localhost within 2 s after sending", unknown.reason());
        assertEquals(1, server.getAllServeEvents().size());
    }

    @Test
    void aRefusedMessageIsRejectedWithTelegramsWords() {
        // Telegram has no duplicate-content check; its 400s for a message are final for that message.
        server.stubFor(post(urlEqualTo(SEND)).willReturn(aResponse().withStatus(400).withBody("""
                {"ok":false,"error_code":400,
                 "description":"Bad Request: can't parse entities: Unsupported start tag \\"x\\" at byte offset 4"}""")));

        assertEquals(new PublishResult.Rejected(
                "Bad Request: can't parse entities: Unsupported start tag \"x\" at byte offset 4"),
                connector.publish(channel, article("Hi " + LINK)));
    }

    @Test
    void theTokenNeverAppearsInAReason() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        TelegramConnector unreachable = new TelegramConnector("http://127.0.0.1:" + closed, http);
        PublishResult.Retryable notSent = assertInstanceOf(PublishResult.Retryable.class,
                unreachable.publish(channel, article("Hi " + LINK)));
        assertFalse(notSent.reason().contains(TOKEN), notSent.reason());
        assertTrue(notSent.reason().startsWith("Could not connect to 127.0.0.1"), notSent.reason());
        assertEquals("Not an http(s) URL: ftp://x/bot<bot token>/sendMessage",
                TelegramConnector.redact("Not an http(s) URL: ftp://x/bot" + TOKEN + "/sendMessage", TOKEN));
        assertThrows(IllegalArgumentException.class, () -> new TelegramConnector("ftp://127.0.0.1", http));
    }

    @Test
    void aMalformedTokenIsRefusedWithoutARequest() {
        ChannelAccess bad = new ChannelAccess(9, null, "@gazette_news", Map.of("botToken", "not a token/../x"),
                SessionStore.inMemory(), 0);

        assertEquals(new PublishResult.AuthExpired(
                "The bot token is missing or not in the form @BotFather gives (123456789:AAH…)"),
                connector.publish(bad, article("Hi " + LINK)));
        assertFalse(connector.verify(bad).ok());
        assertEquals(0, server.getAllServeEvents().size());
    }

    @Test
    void verifyNamesTheBotAndChecksItSeesTheChat() {
        server.stubFor(get(urlEqualTo("/bot" + TOKEN + "/getMe")).willReturn(aResponse().withStatus(200).withBody("""
                {"ok":true,"result":{"id":123456789,"is_bot":true,"first_name":"Gazette","username":"gazette_bot"}}""")));
        server.stubFor(get(urlPathEqualTo("/bot" + TOKEN + "/getChat")).willReturn(aResponse().withStatus(200)
                .withBody("{\"ok\":true,\"result\":{\"id\":-1001234567890,\"type\":\"channel\",\"username\":\"gazette_news\"}}")));

        assertEquals(Verification.ok("@gazette_bot"), connector.verify(channel));
        server.verify(getRequestedFor(urlEqualTo("/bot" + TOKEN + "/getChat?chat_id=%40gazette_news")));
        assertEquals(0, server.findAll(postRequestedFor(urlPathEqualTo(SEND))).size(), "verify posts nothing");
    }

    @Test
    void verifyRefusesARevokedTokenAndAChatTheBotCannotSee() {
        server.stubFor(get(urlEqualTo("/bot" + TOKEN + "/getMe")).willReturn(aResponse().withStatus(401)
                .withBody("{\"ok\":false,\"error_code\":401,\"description\":\"Unauthorized\"}")));
        assertEquals(Verification.refused("Unauthorized"), connector.verify(channel));

        server.resetAll();
        server.stubFor(get(urlEqualTo("/bot" + TOKEN + "/getMe")).willReturn(aResponse().withStatus(200)
                .withBody("{\"ok\":true,\"result\":{\"id\":1,\"is_bot\":true,\"username\":\"gazette_bot\"}}")));
        server.stubFor(get(urlPathEqualTo("/bot" + TOKEN + "/getChat")).willReturn(aResponse().withStatus(400)
                .withBody("{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: chat not found\"}")));
        assertEquals(Verification.refused("Bad Request: chat not found"), connector.verify(channel));
    }

    private static String unescapeHtml(String html) {
        return html.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }
}
