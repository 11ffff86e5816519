package dev.gazette.social.connector.facebook;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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

class FacebookConnectorTest extends ConnectorTestBase {

    static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    static final String PAGE_ID = "104857600000000";
    static final String TOKEN = "EAAGtestPageToken+/=";
    static final String FEED = "/v25.0/" + PAGE_ID + "/feed";
    static final String LINK = "https://gazette.example/l/Fb7?utm_source=facebook&utm_medium=social&utm_campaign=night-trains";

    static SocialHttp http;

    FacebookConnector connector;
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
        connector = new FacebookConnector(server.baseUrl(), "v25.0", http);
        channel = new ChannelAccess(3L, null, PAGE_ID, Map.of("pageAccessToken", TOKEN), SessionStore.inMemory(), 0);
    }

    static Post article(String text) {
        return new Post(text, LINK, "Night trains are back", "Summary", List.of("rail"),
                new LinkCard(LINK, "Night trains are back", "Summary", null, null), "en", "dist-1", "article");
    }

    static String form(String message) {
        return "message=" + URLEncoder.encode(message, StandardCharsets.UTF_8) + "&link="
                + URLEncoder.encode(LINK, StandardCharsets.UTF_8) + "&access_token="
                + URLEncoder.encode(TOKEN, StandardCharsets.UTF_8);
    }

    static Map<String, String> decodeForm(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    static String error(String message, String type, int code, String more) {
        return "{\"error\":{\"message\":" + SocialHttp.json().valueToTree(message) + ",\"type\":\"" + type
                + "\",\"code\":" + code + more + ",\"fbtrace_id\":\"AzX1b2C3d4E\"}}";
    }

    @Test
    void normalPostIsSentAsAFormToThePageFeed() {
        String text = "Night trains are back\n\n" + LINK;
        server.stubFor(post(FEED).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"id\":\"" + PAGE_ID + "_987654321012345\"}")));

        PublishResult result = connector.publish(channel, article(text));

        assertEquals(new PublishResult.Published(PAGE_ID + "_987654321012345",
                "https://www.facebook.com/" + PAGE_ID + "_987654321012345"), result);
        server.verify(1, postRequestedFor(urlEqualTo(FEED))
                .withHeader("Content-Type", equalTo("application/x-www-form-urlencoded"))
                .withHeader("User-Agent", equalTo("Gazette/test"))
                .withRequestBody(equalTo("message=Night+trains+are+back%0A%0Ahttps%3A%2F%2Fgazette.example%2Fl%2FFb7"
                        + "%3Futm_source%3Dfacebook%26utm_medium%3Dsocial%26utm_campaign%3Dnight-trains"
                        + "&link=https%3A%2F%2Fgazette.example%2Fl%2FFb7%3Futm_source%3Dfacebook%26utm_medium%3Dsocial"
                        + "%26utm_campaign%3Dnight-trains&access_token=EAAGtestPageToken%2B%2F%3D")));
    }

    @Test
    void articleWithEmojiCjkAndLongTitleIsSentWholeAndEncodedAsUtf8() {
        String title = "夜行列車が帰ってきた 🚆 — the long-awaited return of Europe's night trains, ".repeat(4).strip();
        String summary = "東京から札幌まで。Family trip 👨‍👩‍👧‍👦 across the continent: what it costs and how long it takes.";
        List<String> hashtags = List.of("#rail", "#夜行列車", "#travel");
        TextRules rules = connector.textRules(channel);
        String fitted = TextFit.fit((t, s, h, l) -> t + "\n\n" + s + "\n\n" + l + "\n\n" + h, title, summary, hashtags,
                LINK, rules);
        server.stubFor(post(FEED).willReturn(aResponse().withStatus(200).withBody("{\"id\":\"" + PAGE_ID + "_1\"}")));

        assertInstanceOf(PublishResult.Published.class, connector.publish(channel, article(fitted)));

        LoggedRequest request = server.getAllServeEvents().get(0).getRequest();
        assertEquals(form(fitted), request.getBodyAsString());
        Map<String, String> sent = decodeForm(request.getBodyAsString());
        assertEquals(List.of("message", "link", "access_token"), List.copyOf(sent.keySet()));
        String message = sent.get("message");
        assertEquals(title + "\n\n" + summary + "\n\n" + LINK + "\n\n#rail #夜行列車 #travel", message);
        assertTrue(rules.fits(message), "length " + rules.length(message));
        assertTrue(message.contains(LINK));
        assertEquals(LINK, sent.get("link"));
        assertTrue(request.getBodyAsString().contains("%F0%9F%9A%86"), "🚆 as UTF-8 bytes"); // U+1F686
    }

    @Test
    void pageThrottlingWaitsForTheEstimateInTheBusinessUseCaseHeader() {
        server.stubFor(post(FEED).willReturn(aResponse().withStatus(400)
                .withHeader("X-Business-Use-Case-Usage", "{\"" + PAGE_ID + "\":[{\"type\":\"pages\",\"call_count\":100,"
                        + "\"total_cputime\":12,\"total_time\":15,\"estimated_time_to_regain_access\":19}]}")
                .withHeader("X-App-Usage", "{\"call_count\":40,\"total_cputime\":5,\"total_time\":6}")
                .withBody(error("(#80001) There have been too many calls to this Page account. Wait a bit and try again.",
                        "OAuthException", 80001, ""))));

        PublishResult result = connector.publish(channel, article("Hello " + LINK));

        assertEquals(new PublishResult.Retryable(Instant.parse("2026-11-28T10:19:00Z"), true,
                "(#80001) There have been too many calls to this Page account. Wait a bit and try again."), result);
    }

    @Test
    void pageLimitCode32ReadsTheEstimateFromXPageUsage() {
        server.stubFor(post(FEED).willReturn(aResponse().withStatus(400)
                .withHeader("X-Page-Usage", "{\"call_count\":100,\"total_cputime\":30,\"total_time\":40,"
                        + "\"estimated_time_to_regain_access\":7}")
                .withBody(error("(#32) Page request limit reached", "OAuthException", 32, ""))));

        assertEquals(new PublishResult.Retryable(Instant.parse("2026-11-28T10:07:00Z"), true,
                "(#32) Page request limit reached"), connector.publish(channel, article("Hello " + LINK)));
    }

    @Test
    void throttlingWithoutAnEstimatePausesForTheDocumentedFallbackOfAnHour() {
        server.stubFor(post(FEED).willReturn(aResponse().withStatus(403)
                .withHeader("X-App-Usage", "{\"call_count\":100,\"total_cputime\":20,\"total_time\":25}")
                .withBody(error("(#4) Application request limit reached", "OAuthException", 4, ""))));

        assertEquals(new PublishResult.Retryable(Instant.parse("2026-11-28T11:00:00Z"), true,
                "(#4) Application request limit reached"), connector.publish(channel, article("Hello " + LINK)));
    }

    @Test
    void expiredPageTokenAsksForReconnection() {
        String message = "Error validating access token: Session has expired on Friday, 27-Nov-26 09:00:00 PST. "
                + "The current time is Saturday, 28-Nov-26 02:00:00 PST.";
        server.stubFor(post(FEED).willReturn(aResponse().withStatus(400)
                .withBody(error(message, "OAuthException", 190, ",\"error_subcode\":463"))));

        assertEquals(new PublishResult.AuthExpired(message), connector.publish(channel, article("Hello " + LINK)));
    }

    @Test
    void http401WithoutGraphErrorAlsoAsksForReconnection() {
        server.stubFor(post(FEED).willReturn(aResponse().withStatus(401).withBody("")));

        assertEquals(new PublishResult.AuthExpired("HTTP 401"), connector.publish(channel, article("Hello " + LINK)));
    }

    @Test
    void missingPermissionAsksForReconnection() {
        String message = "(#200) If posting to a page, requires both pages_read_engagement and pages_manage_posts "
                + "as an admin with sufficient administrative permission";
        server.stubFor(post(FEED).willReturn(aResponse().withStatus(403).withBody(error(message, "OAuthException", 200, ""))));

        assertEquals(new PublishResult.AuthExpired(message), connector.publish(channel, article("Hello " + LINK)));
    }

    @Test
    void transientServerErrorIsRetryableAndTheNextAttemptPublishes() {
        String message = "An unexpected error has occurred. Please retry your request later.";
        server.stubFor(post(FEED).inScenario("outage").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(500)
                        .withBody(error(message, "OAuthException", 2, ",\"is_transient\":true")))
                .willSetStateTo("recovered"));
        server.stubFor(post(FEED).inScenario("outage").whenScenarioStateIs("recovered")
                .willReturn(aResponse().withStatus(200).withBody("{\"id\":\"" + PAGE_ID + "_2\"}")));

        assertEquals(new PublishResult.Retryable(null, false, message), connector.publish(channel, article("Hello " + LINK)));
        assertEquals(new PublishResult.Published(PAGE_ID + "_2", "https://www.facebook.com/" + PAGE_ID + "_2"),
                connector.publish(channel, article("Hello " + LINK)));
        server.verify(2, postRequestedFor(urlEqualTo(FEED)));
    }

    @Test
    void noAnswerAfterSendingIsAnUnknownOutcomeAndIsNotRepeated() {
        server.stubFor(post(FEED).willReturn(aResponse().withStatus(200).withFixedDelay(3500)
                .withBody("{\"id\":\"" + PAGE_ID + "_3\"}")));

        PublishResult result = connector.publish(channel, article("Hello " + LINK));

        assertInstanceOf(PublishResult.UnknownOutcome.class, result);
        assertEquals(1, server.getAllServeEvents().size());
    }

    @Test
    void duplicateStatusMessageIsRejectedWithFacebooksMessage() {
        server.stubFor(post(FEED).willReturn(aResponse().withStatus(400)
                .withBody(error("(#506) Duplicate status message", "OAuthException", 506, ""))));

        assertEquals(new PublishResult.Rejected("(#506) Duplicate status message"),
                connector.publish(channel, article("Hello " + LINK)));
    }

    @Test
    void alreadyPostedSubcodeIsRejected() {
        // Subcode 1366051 as the project's API notes give it for "already posted"; the message here is illustrative.
        server.stubFor(post(FEED).willReturn(aResponse().withStatus(400)
                .withBody(error("This status update is identical to the last one you posted.", "OAuthException", 100,
                        ",\"error_subcode\":1366051"))));

        assertEquals(new PublishResult.Rejected("This status update is identical to the last one you posted."),
                connector.publish(channel, article("Hello " + LINK)));
    }

    @Test
    void accountThatIsNotANumericPageIdIsRejectedWithoutACall() {
        ChannelAccess wrong = new ChannelAccess(3L, null, "../me/feed", Map.of("pageAccessToken", TOKEN),
                SessionStore.inMemory(), 0);

        assertEquals(new PublishResult.Rejected("The channel's account must be the numeric Facebook page id, not \"../me/feed\""),
                connector.publish(wrong, article("Hello " + LINK)));
        assertEquals(0, server.getAllServeEvents().size());
    }

    @Test
    void verifyReadsThePageName() {
        server.stubFor(get(urlPathEqualTo("/v25.0/" + PAGE_ID)).willReturn(aResponse().withStatus(200)
                .withBody("{\"name\":\"Gazette Daily\",\"id\":\"" + PAGE_ID + "\"}")));

        assertEquals(Verification.ok("Gazette Daily"), connector.verify(channel));
        server.verify(1, getRequestedFor(urlEqualTo("/v25.0/" + PAGE_ID + "?fields=name&access_token="
                + URLEncoder.encode(TOKEN, StandardCharsets.UTF_8))));
    }

    @Test
    void verifyReportsAnInvalidToken() {
        String message = "Invalid OAuth access token - Cannot parse access token";
        server.stubFor(get(urlPathEqualTo("/v25.0/" + PAGE_ID)).willReturn(aResponse().withStatus(400)
                .withBody(error(message, "OAuthException", 190, ""))));

        assertEquals(Verification.refused(message), connector.verify(channel));
    }

    @Test
    void regainMinutesReadsBothHeaderShapes() {
        assertEquals(19, FacebookConnector.regainMinutes(
                "{\"1\":[{\"type\":\"pages\",\"estimated_time_to_regain_access\":3},{\"type\":\"pages\",\"estimated_time_to_regain_access\":19}]}"));
        assertEquals(5, FacebookConnector.regainMinutes("{\"call_count\":100,\"estimated_time_to_regain_access\":5}"));
        assertEquals(0, FacebookConnector.regainMinutes("{\"call_count\":28,\"total_time\":25,\"total_cputime\":25}"));
        assertEquals(0, FacebookConnector.regainMinutes("not json"));
    }
}
