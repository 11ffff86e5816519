package dev.gazette.social.connector.linkedin;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
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

class LinkedInConnectorTest extends ConnectorTestBase {

    static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    static final String ORG = "urn:li:organization:5515715";
    static final String LINK = "https://gazette.example/l/Li9?utm_source=linkedin&utm_medium=social&utm_campaign=night-trains";
    static final String RECONNECT = "LinkedIn access tokens last about 60 days: reconnect the channel to get a new one.";

    static SocialHttp http;

    LinkedInConnector connector;
    ChannelAccess channel;

    @BeforeAll
    static void start() {
        http = http(NOW);
        for (int i = 0; i < 3; i++) { // the first requests to a fresh WireMock can exceed 2 s on a loaded machine
            try {
                http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/__warm-up")).GET());
            } catch (SocialHttp.NotSent | SocialHttp.OutcomeUnknown e) {
                // only warming up
            }
        }
    }

    @BeforeEach
    void reset() {
        connector = new LinkedInConnector(server.baseUrl(), "202605", http);
        channel = channel(ORG);
    }

    static ChannelAccess channel(String author) {
        return new ChannelAccess(5L, null, author, Map.of("accessToken", "AQV-test-token"), SessionStore.inMemory(), 0);
    }

    static Post article(String text, String title, String description) {
        return new Post(text, LINK, title, description, List.of("rail"), new LinkCard(LINK, title, description, null, null),
                "en", "dist-1", "article");
    }

    static Post article(String text) {
        return article(text, "Night trains are back", "Sleeper services return to twelve routes.");
    }

    /** Reverses little-text escaping, to compare what LinkedIn will show with the fitted plain text. */
    static String unescape(String little) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < little.length(); i++) {
            char c = little.charAt(i);
            if (c == '\\' && i + 1 < little.length() && LittleText.RESERVED.indexOf(little.charAt(i + 1)) >= 0) {
                c = little.charAt(++i);
            }
            out.append(c);
        }
        return out.toString();
    }

    static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder created(String urn) {
        return aResponse().withStatus(201).withHeader("x-restli-id", urn);
    }

    @Test
    void normalPostIsSentWithVersionHeadersEscapedCommentaryAndTheArticleCard() throws Exception {
        server.stubFor(post("/rest/posts").willReturn(created("urn:li:share:7262000000000000001")));

        PublishResult result = connector.publish(channel, article("Night trains are back (finally)\n\n" + LINK + "\n\n#rail"));

        assertEquals(new PublishResult.Published("urn:li:share:7262000000000000001",
                "https://www.linkedin.com/feed/update/urn:li:share:7262000000000000001/"), result);
        server.verify(1, postRequestedFor(urlEqualTo("/rest/posts"))
                .withHeader("Authorization", equalTo("Bearer AQV-test-token"))
                .withHeader("LinkedIn-Version", equalTo("202605"))
                .withHeader("X-Restli-Protocol-Version", equalTo("2.0.0"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withHeader("User-Agent", equalTo("Gazette/test"))
                .withRequestBody(equalToJson("""
                        {
                          "author": "urn:li:organization:5515715",
                          "commentary": "Night trains are back \\\\(finally\\\\)\\n\\nhttps://gazette.example/l/Li9?utm\\\\_source=linkedin&utm\\\\_medium=social&utm\\\\_campaign=night-trains\\n\\n\\\\#rail",
                          "visibility": "PUBLIC",
                          "distribution": {
                            "feedDistribution": "MAIN_FEED",
                            "targetEntities": [],
                            "thirdPartyDistributionChannels": []
                          },
                          "content": {
                            "article": {
                              "source": "https://gazette.example/l/Li9?utm_source=linkedin&utm_medium=social&utm_campaign=night-trains",
                              "title": "Night trains are back",
                              "description": "Sleeper services return to twelve routes."
                            }
                          },
                          "lifecycleState": "PUBLISHED",
                          "isReshareDisabledByAuthor": false
                        }""")));
        // The same, read back: the commentary carries a backslash before each reserved character.
        String commentary = SocialHttp.json().readTree(server.getAllServeEvents().get(0).getRequest().getBodyAsString())
                .get("commentary").asText();
        assertEquals("Night trains are back \\(finally\\)", commentary.substring(0, commentary.indexOf('\n')));
    }

    @Test
    void articleWithEmojiCjkAndLongTitleIsFittedTo3000CharactersKeepingTheLink() throws Exception {
        String title = "夜行列車が帰ってきた 🚆 — the long-awaited return of Europe's night trains (and what they cost)";
        String summary = ("東京から札幌まで。Family trip 👨‍👩‍👧‍👦 across the continent [part 1]: what it costs, how long "
                + "it takes, and why the couchettes sell out within minutes. ").repeat(30);
        List<String> hashtags = List.of("#rail", "#夜行列車", "#travel");
        TextRules rules = connector.textRules(channel);
        String fitted = TextFit.fit((t, s, h, l) -> t + "\n\n" + s + "\n\n" + l + "\n\n" + h, title, summary, hashtags,
                LINK, rules);
        server.stubFor(post("/rest/posts").willReturn(created("urn:li:share:7262000000000000002")));

        assertInstanceOf(PublishResult.Published.class, connector.publish(channel, article(fitted, title, summary)));

        LoggedRequest request = server.getAllServeEvents().get(0).getRequest();
        JsonNode body = SocialHttp.json().readTree(request.getBodyAsString());
        String commentary = body.get("commentary").asText();
        String shown = unescape(commentary);
        assertEquals(fitted, shown);
        assertTrue(rules.fits(shown), "length " + rules.length(shown));
        assertTrue(rules.length(shown) > 2900, "the fit should use the room it has: " + rules.length(shown));
        assertTrue(shown.startsWith(title + "\n\n"), shown);
        assertTrue(shown.contains("…\n\n" + LINK), "the summary was shortened: " + shown); // hashtags dropped, summary cut
        assertTrue(shown.contains(LINK), shown);
        assertTrue(commentary.contains("utm\\_source=linkedin&utm\\_medium=social&utm\\_campaign=night-trains"), commentary);
        assertTrue(commentary.startsWith("夜行列車が帰ってきた 🚆 — the long-awaited return of Europe's night trains \\(and"),
                commentary);
        assertEquals(LINK, body.at("/content/article/source").asText());
        assertEquals(title, body.at("/content/article/title").asText());
    }

    @Test
    void rateLimitWithoutRetryAfterWaitsForMidnightUtc() {
        server.stubFor(post("/rest/posts").willReturn(aResponse().withStatus(429)
                .withBody("{\"message\":\"Resource level throttle limit for calls to this resource is reached.\",\"status\":429}")));

        assertEquals(new PublishResult.Retryable(Instant.parse("2026-11-29T00:00:00Z"), true,
                "Resource level throttle limit for calls to this resource is reached."),
                connector.publish(channel, article("Hello " + LINK)));
    }

    @Test
    void rateLimitWithRetryAfterWaitsThatLong() {
        server.stubFor(post("/rest/posts").willReturn(aResponse().withStatus(429).withHeader("Retry-After", "120")
                .withBody("{\"message\":\"Too Many Requests\",\"status\":429}")));

        assertEquals(new PublishResult.Retryable(Instant.parse("2026-11-28T10:02:00Z"), true, "Too Many Requests"),
                connector.publish(channel, article("Hello " + LINK)));
    }

    @Test
    void expiredTokenAsksForReconnection() {
        server.stubFor(post("/rest/posts").willReturn(aResponse().withStatus(401)
                .withBody("{\"status\":401,\"code\":\"EXPIRED_ACCESS_TOKEN\",\"message\":\"The token used in the request has expired\"}")));

        assertEquals(new PublishResult.AuthExpired("The token used in the request has expired — " + RECONNECT),
                connector.publish(channel, article("Hello " + LINK)));
    }

    @Test
    void sunsetVersionIsRejectedNamingTheConfigKey() {
        server.stubFor(post("/rest/posts").willReturn(aResponse().withStatus(426)
                .withBody("{\"status\":426,\"code\":\"NONEXISTENT_VERSION\",\"message\":\"Requested version 202605 is not active\"}")));

        assertEquals(new PublishResult.Rejected("The configured LinkedIn-Version 202605 is no longer served: set "
                + "gazette.social.linkedin.version to a current yyyyMM version. LinkedIn said: Requested version 202605 is not active"),
                connector.publish(channel, article("Hello " + LINK)));
    }

    @Test
    void serverErrorIsRetryableAndTheNextAttemptPublishes() {
        server.stubFor(post("/rest/posts").inScenario("outage").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(504).withBody("{\"message\":\"Gateway Timeout\",\"status\":504}"))
                .willSetStateTo("recovered"));
        server.stubFor(post("/rest/posts").inScenario("outage").whenScenarioStateIs("recovered")
                .willReturn(created("urn:li:share:7262000000000000003")));

        assertEquals(new PublishResult.Retryable(null, false, "Gateway Timeout"), connector.publish(channel, article("Hello " + LINK)));
        assertEquals(new PublishResult.Published("urn:li:share:7262000000000000003",
                "https://www.linkedin.com/feed/update/urn:li:share:7262000000000000003/"),
                connector.publish(channel, article("Hello " + LINK)));
        server.verify(2, postRequestedFor(urlEqualTo("/rest/posts")));
    }

    @Test
    void noAnswerAfterSendingIsAnUnknownOutcomeAndIsNotRepeated() {
        server.stubFor(post("/rest/posts").willReturn(created("urn:li:share:7262000000000000004").withFixedDelay(3500)));

        PublishResult result = connector.publish(channel, article("Hello " + LINK));

        assertInstanceOf(PublishResult.UnknownOutcome.class, result);
        assertEquals(1, server.getAllServeEvents().size());
    }

    @Test
    void duplicateIsRejectedWithLinkedInsMessage() {
        // The body LinkedIn sends for a repeated post (as reported in Arisamiga/Linkedin-RSS#5).
        server.stubFor(post("/rest/posts").willReturn(aResponse().withStatus(422).withBody(
                "{\"errorDetailType\":\"com.linkedin.common.error.BadRequest\",\"message\":\"com.linkedin.content.common."
                        + "exception.BadRequestResponseException: Content is a duplicate of urn:li:share:7141138937766391808\","
                        + "\"errorDetails\":{\"inputErrors\":[{\"description\":\"Duplicate post is detected\",\"input\":{},"
                        + "\"code\":\"DUPLICATE_POST\"}]},\"status\":422}")));

        assertEquals(new PublishResult.Rejected("com.linkedin.content.common.exception.BadRequestResponseException: "
                + "Content is a duplicate of urn:li:share:7141138937766391808"),
                connector.publish(channel, article("Hello " + LINK)));
    }

    @Test
    void accountThatIsNotAnAuthorUrnIsRejectedWithoutACall() {
        assertEquals(new PublishResult.Rejected("The channel's account must be a LinkedIn author URN, "
                + "urn:li:organization:<id> or urn:li:person:<id>, not \"5515715\""),
                connector.publish(channel("5515715"), article("Hello " + LINK)));
        assertEquals(0, server.getAllServeEvents().size());
    }

    @Test
    void verifyReadsTheOrganizationsName() {
        server.stubFor(get("/rest/organizations/5515715").willReturn(aResponse().withStatus(200)
                .withBody("{\"id\":5515715,\"localizedName\":\"Gazette\",\"vanityName\":\"gazette\"}")));

        assertEquals(Verification.ok("Gazette"), connector.verify(channel));
        server.verify(1, getRequestedFor(urlEqualTo("/rest/organizations/5515715"))
                .withHeader("Authorization", equalTo("Bearer AQV-test-token"))
                .withHeader("LinkedIn-Version", equalTo("202605"))
                .withHeader("X-Restli-Protocol-Version", equalTo("2.0.0")));
    }

    @Test
    void verifyReadsAMembersNameFromUserinfo() {
        server.stubFor(get("/v2/userinfo").willReturn(aResponse().withStatus(200)
                .withBody("{\"sub\":\"782bbtaQ\",\"name\":\"Ada Lovelace\",\"given_name\":\"Ada\",\"family_name\":\"Lovelace\"}")));

        assertEquals(Verification.ok("Ada Lovelace"), connector.verify(channel("urn:li:person:782bbtaQ")));
        server.verify(1, getRequestedFor(urlEqualTo("/v2/userinfo"))
                .withHeader("Authorization", equalTo("Bearer AQV-test-token"))
                .withHeader("LinkedIn-Version", absent()));
    }

    @Test
    void verifyReportsARevokedToken() {
        server.stubFor(get("/rest/organizations/5515715").willReturn(aResponse().withStatus(401)
                .withBody("{\"status\":401,\"code\":\"REVOKED_ACCESS_TOKEN\",\"message\":\"The token used in the request has been revoked by the user\"}")));

        assertEquals(Verification.refused("The token used in the request has been revoked by the user — " + RECONNECT),
                connector.verify(channel));
    }
}
