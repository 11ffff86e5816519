package dev.gazette.social.connector.bluesky;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.binaryEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

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

class BlueskyConnectorTest extends ConnectorTestBase {

    static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    static final String CREATE_SESSION = "/xrpc/com.atproto.server.createSession";
    static final String REFRESH_SESSION = "/xrpc/com.atproto.server.refreshSession";
    static final String GET_SESSION = "/xrpc/com.atproto.server.getSession";
    static final String UPLOAD_BLOB = "/xrpc/com.atproto.repo.uploadBlob";
    static final String CREATE_RECORD = "/xrpc/com.atproto.repo.createRecord";

    static final String DID = "did:plc:ewvi7nxzyoun6zhxrhs64oiz";
    static final String HANDLE = "news.gazette.example";
    static final String POST_URI = "at://" + DID + "/app.bsky.feed.post/3lbq7tsa2sk2a";
    static final String POST_URL = "https://bsky.app/profile/" + DID + "/post/3lbq7tsa2sk2a";
    static final String LINK = "https://gazette.example/l/tides?utm_source=bluesky";

    final SocialHttp http = http(NOW);
    final BlueskyConnector connector = new BlueskyConnector("https://bsky.social", "https://bsky.app", http);
    SessionStore sessions;
    ChannelAccess channel;

    @BeforeAll
    static void start() {
        // a first request warms Jetty and the HTTP client up, so a loaded build machine does not push the first
        // test's calls past the two-second request timeout
        server.stubFor(get("/warm-up").willReturn(aResponse().withStatus(204)));
        try {
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(pds() + "/warm-up")).build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeEach
    void reset() {
        sessions = SessionStore.inMemory();
        channel = channel(pds());
    }

    /** WireMock listens on 127.0.0.1 only; its baseUrl() says "localhost". */
    static String pds() {
        return "http://127.0.0.1:" + server.port();
    }

    ChannelAccess channel(String baseUrl) {
        return new ChannelAccess(7, baseUrl, null, Map.of("identifier", HANDLE, "appPassword", "abcd-efgh-ijkl-mnop"),
                sessions, 0);
    }

    // --- the normal path ---------------------------------------------------------------------------------------

    @Test
    void normalPostLogsInUploadsTheThumbAndCreatesTheRecordWithFacetsAndCard() throws IOException {
        byte[] png = png(40, 20, new Random(1), false);
        stubLogin("access-1", "refresh-1");
        server.stubFor(get("/images/tides.png").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "image/png").withBody(png)));
        server.stubFor(post(UPLOAD_BLOB).willReturn(okJson(blob("image/png", png.length))));
        stubCreated();

        String text = "Tides are changing\n\n" + LINK + " #climate";
        PublishResult result = connector.publish(channel, article(text, pds() + "/images/tides.png", "en"));

        assertEquals(new PublishResult.Published(POST_URI, POST_URL), result);
        server.verify(1, postRequestedFor(urlEqualTo(CREATE_SESSION))
                .withHeader("Content-Type", equalTo("application/json"))
                .withHeader("Authorization", absent())
                .withRequestBody(equalToJson(
                        "{\"identifier\": \"" + HANDLE + "\", \"password\": \"abcd-efgh-ijkl-mnop\"}")));
        server.verify(1, getRequestedFor(urlEqualTo("/images/tides.png")));
        server.verify(1, postRequestedFor(urlEqualTo(UPLOAD_BLOB))
                .withHeader("Authorization", equalTo("Bearer access-1"))
                .withHeader("Content-Type", equalTo("image/png"))
                .withRequestBody(binaryEqualTo(png)));
        server.verify(1, postRequestedFor(urlEqualTo(CREATE_RECORD))
                .withHeader("Authorization", equalTo("Bearer access-1"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withHeader("User-Agent", equalTo("Gazette/test"))
                .withRequestBody(equalToJson("""
                        {
                          "repo": "%s",
                          "collection": "app.bsky.feed.post",
                          "record": {
                            "$type": "app.bsky.feed.post",
                            "text": "Tides are changing\\n\\n%s #climate",
                            "createdAt": "2026-11-28T10:00:00.000Z",
                            "langs": ["en"],
                            "facets": [
                              {"index": {"byteStart": 20, "byteEnd": 70},
                               "features": [{"$type": "app.bsky.richtext.facet#link", "uri": "%s"}]},
                              {"index": {"byteStart": 71, "byteEnd": 79},
                               "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": "climate"}]}
                            ],
                            "embed": {
                              "$type": "app.bsky.embed.external",
                              "external": {
                                "uri": "%s",
                                "title": "Tides are changing",
                                "description": "What the new survey of the estuary shows.",
                                "thumb": {"$type": "blob", "ref": {"$link": "bafkreibabalobzn6cd366ukcsjycp4yymjymgfxcv6xczmlgpemzkz3cfa"},
                                          "mimeType": "image/png", "size": %d}
                              }
                            }
                          }
                        }
                        """.formatted(DID, LINK, LINK, LINK, png.length))));
        JsonNode saved = SocialHttp.json().readTree(sessions.load().orElseThrow());
        assertEquals(DID, saved.path("did").asText());
        assertEquals(HANDLE, saved.path("handle").asText());
        assertEquals("access-1", saved.path("accessJwt").asText());
        assertEquals("refresh-1", saved.path("refreshJwt").asText());
    }

    @Test
    void articleWithEmojiCjkAndALongTitleFitsIn300GraphemesAndTheFacetCoversTheWholeLink() throws IOException {
        stubLogin("access-1", "refresh-1");
        stubCreated();
        String title = "🌊🇯🇵 東京湾の潮汐が変わりつつある — what the new survey of the estuary shows about the next "
                + "fifty years of flooding, fishing and the 👨‍👩‍👧 families who live along the shore";
        String summary = "研究者たちは十年間のデータを分析しました。".repeat(6)
                + " The survey covers every tide gauge between the harbour mouth and the upper reaches 🌧️.";
        String link = "https://gazette.example/l/tokyo-bay-tides-2026?utm_source=bluesky&utm_medium=social";
        TextRules rules = connector.textRules(channel);
        String fitted = TextFit.fit((t, s, h, l) -> t + "\n\n" + s + "\n\n" + l + "\n\n" + h, title, summary,
                List.of("#気候", "#climate"), link, rules);

        PublishResult result = connector.publish(channel, new Post(fitted, link, title, summary, List.of(),
                new LinkCard(link, title, summary, null, null), "ja", "k-2", "article"));

        assertEquals(new PublishResult.Published(POST_URI, POST_URL), result);
        JsonNode record = onlyBody(CREATE_RECORD).path("record");
        String sent = record.path("text").asText();
        assertEquals(fitted, sent);
        assertTrue(Graphemes.count(sent) <= 300, "graphemes: " + Graphemes.count(sent));
        assertTrue(sent.getBytes(StandardCharsets.UTF_8).length <= 3000);
        assertTrue(sent.contains(link));
        assertTrue(sent.startsWith("🌊🇯🇵 東京湾の潮汐が変わりつつある"), sent);
        assertTrue(sent.length() < title.length() + summary.length() + link.length(), "something was cut");
        JsonNode linkFacet = record.path("facets").get(0);
        assertEquals("app.bsky.richtext.facet#link", linkFacet.path("features").get(0).path("$type").asText());
        assertEquals(link, linkFacet.path("features").get(0).path("uri").asText());
        byte[] utf8 = sent.getBytes(StandardCharsets.UTF_8);
        int start = linkFacet.path("index").path("byteStart").asInt();
        int end = linkFacet.path("index").path("byteEnd").asInt();
        assertEquals(link, new String(Arrays.copyOfRange(utf8, start, end), StandardCharsets.UTF_8));
        assertTrue(start > sent.indexOf(link), "byte offset beyond the char index: emoji and CJK before the link");
        assertEquals("[\"ja\"]", record.path("langs").toString());
        assertEquals(link, record.path("embed").path("external").path("uri").asText());
        assertTrue(record.path("embed").path("external").path("thumb").isMissingNode());
    }

    @Test
    void twoPostsInARowLogInOnce() {
        stubLogin("access-1", "refresh-1");
        stubCreated();

        connector.publish(channel, article("One " + LINK, null, null));
        connector.publish(channel, article("Two " + LINK, null, null));

        server.verify(1, postRequestedFor(urlEqualTo(CREATE_SESSION)));
        server.verify(2, postRequestedFor(urlEqualTo(CREATE_RECORD)).withHeader("Authorization",
                equalTo("Bearer access-1")));
    }

    // --- sessions ----------------------------------------------------------------------------------------------

    @Test
    void expiredAccessTokenIsRefreshedThenThePostIsMadeOnceMoreAndTheNewTokensAreSaved() throws IOException {
        sessions.save(session("access-old", "refresh-old"));
        server.stubFor(post(CREATE_RECORD).withHeader("Authorization", equalTo("Bearer access-old"))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":\"ExpiredToken\",\"message\":\"Token has expired\"}")));
        server.stubFor(post(REFRESH_SESSION).withHeader("Authorization", equalTo("Bearer refresh-old"))
                .willReturn(okJson(sessionAnswer("access-new", "refresh-new"))));
        server.stubFor(post(CREATE_RECORD).withHeader("Authorization", equalTo("Bearer access-new"))
                .willReturn(okJson(created())));

        PublishResult result = connector.publish(channel, article("Hello " + LINK, null, null));

        assertEquals(new PublishResult.Published(POST_URI, POST_URL), result);
        server.verify(0, postRequestedFor(urlEqualTo(CREATE_SESSION)));
        server.verify(1, postRequestedFor(urlEqualTo(REFRESH_SESSION))
                .withHeader("Authorization", equalTo("Bearer refresh-old")));
        server.verify(2, postRequestedFor(urlEqualTo(CREATE_RECORD)));
        server.verify(1, postRequestedFor(urlEqualTo(CREATE_RECORD))
                .withHeader("Authorization", equalTo("Bearer access-new")));
        JsonNode saved = SocialHttp.json().readTree(sessions.load().orElseThrow());
        assertEquals("access-new", saved.path("accessJwt").asText());
        assertEquals("refresh-new", saved.path("refreshJwt").asText());
        assertEquals(DID, saved.path("did").asText());
    }

    @Test
    void refusedRefreshFallsBackToOneLogin() {
        sessions.save(session("access-old", "refresh-old"));
        server.stubFor(post(CREATE_RECORD).withHeader("Authorization", equalTo("Bearer access-old"))
                .willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":\"InvalidToken\",\"message\":\"Token could not be verified\"}")));
        server.stubFor(post(REFRESH_SESSION).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"ExpiredToken\",\"message\":\"Token has been revoked\"}")));
        stubLogin("access-1", "refresh-1");
        server.stubFor(post(CREATE_RECORD).withHeader("Authorization", equalTo("Bearer access-1"))
                .willReturn(okJson(created())));

        PublishResult result = connector.publish(channel, article("Hello " + LINK, null, null));

        assertEquals(new PublishResult.Published(POST_URI, POST_URL), result);
        server.verify(1, postRequestedFor(urlEqualTo(REFRESH_SESSION)));
        server.verify(1, postRequestedFor(urlEqualTo(CREATE_SESSION)));
        server.verify(2, postRequestedFor(urlEqualTo(CREATE_RECORD)));
        assertTrue(sessions.load().orElseThrow().contains("\"accessJwt\":\"access-1\""));
    }

    @Test
    void accessTokenAboutToExpireIsRefreshedBeforePosting() {
        String access = jwt(NOW.plusSeconds(60)); // inside the two-minute margin
        String refresh = jwt(NOW.plus(Duration.ofDays(60)));
        sessions.save(session(access, refresh));
        server.stubFor(post(REFRESH_SESSION).withHeader("Authorization", equalTo("Bearer " + refresh))
                .willReturn(okJson(sessionAnswer("access-new", "refresh-new"))));
        stubCreated();

        PublishResult result = connector.publish(channel, article("Hello " + LINK, null, null));

        assertEquals(new PublishResult.Published(POST_URI, POST_URL), result);
        server.verify(1, postRequestedFor(urlEqualTo(REFRESH_SESSION)));
        server.verify(1, postRequestedFor(urlEqualTo(CREATE_RECORD)));
        server.verify(1, postRequestedFor(urlEqualTo(CREATE_RECORD))
                .withHeader("Authorization", equalTo("Bearer access-new")));
    }

    @Test
    void expiredRefreshTokenGoesStraightToLogin() {
        sessions.save(session(jwt(NOW.minusSeconds(10)), jwt(NOW.minusSeconds(5))));
        stubLogin("access-1", "refresh-1");
        stubCreated();

        PublishResult result = connector.publish(channel, article("Hello " + LINK, null, null));

        assertEquals(new PublishResult.Published(POST_URI, POST_URL), result);
        server.verify(0, postRequestedFor(urlEqualTo(REFRESH_SESSION)));
        server.verify(1, postRequestedFor(urlEqualTo(CREATE_SESSION)));
        server.verify(1, postRequestedFor(urlEqualTo(CREATE_RECORD))
                .withHeader("Authorization", equalTo("Bearer access-1")));
    }

    @Test
    void storedTokenStillGoodAfterTheMarginIsUsedAsIs() {
        sessions.save(session(jwt(NOW.plusSeconds(3600)), jwt(NOW.plus(Duration.ofDays(60)))));
        stubCreated();

        assertEquals(new PublishResult.Published(POST_URI, POST_URL),
                connector.publish(channel, article("Hello " + LINK, null, null)));
        server.verify(0, postRequestedFor(urlEqualTo(REFRESH_SESSION)));
        server.verify(0, postRequestedFor(urlEqualTo(CREATE_SESSION)));
    }

    // --- failures ----------------------------------------------------------------------------------------------

    @Test
    void rateLimitedPostIsRetryableChannelWideAtTheResetTime() {
        stubLogin("access-1", "refresh-1");
        server.stubFor(post(CREATE_RECORD).willReturn(aResponse().withStatus(429)
                .withHeader("Content-Type", "application/json")
                .withHeader("RateLimit-Limit", "5000")
                .withHeader("RateLimit-Remaining", "0")
                .withHeader("RateLimit-Reset", "1795861234")
                .withHeader("RateLimit-Policy", "5000;w=3600")
                .withBody("{\"error\":\"RateLimitExceeded\",\"message\":\"Rate Limit Exceeded\"}")));

        PublishResult result = connector.publish(channel, article("Hello " + LINK, null, null));

        assertEquals(new PublishResult.Retryable(Instant.ofEpochSecond(1795861234L), true, "Rate Limit Exceeded"),
                result);
        assertEquals(Instant.parse("2026-11-28T10:20:34Z"), ((PublishResult.Retryable) result).notBefore());
        server.verify(1, postRequestedFor(urlEqualTo(CREATE_RECORD)));
    }

    @Test
    void rateLimitedLoginIsRetryableAndNothingIsPosted() {
        server.stubFor(post(CREATE_SESSION).willReturn(aResponse().withStatus(429)
                .withHeader("Content-Type", "application/json")
                .withHeader("RateLimit-Limit", "30")
                .withHeader("RateLimit-Remaining", "0")
                .withHeader("RateLimit-Reset", "1795860300")
                .withHeader("RateLimit-Policy", "30;w=300")
                .withBody("{\"error\":\"RateLimitExceeded\",\"message\":\"Rate Limit Exceeded\"}")));

        PublishResult result = connector.publish(channel, article("Hello " + LINK, null, null));

        assertEquals(new PublishResult.Retryable(Instant.parse("2026-11-28T10:05:00Z"), true, "Rate Limit Exceeded"),
                result);
        server.verify(0, postRequestedFor(urlEqualTo(CREATE_RECORD)));
    }

    @Test
    void refusedAppPasswordIsAuthExpired() {
        server.stubFor(post(CREATE_SESSION).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"AuthenticationRequired\",\"message\":\"Invalid identifier or password\"}")));

        PublishResult result = connector.publish(channel, article("Hello " + LINK, null, null));

        assertEquals(new PublishResult.AuthExpired("Invalid identifier or password"), result);
        server.verify(0, postRequestedFor(urlEqualTo(CREATE_RECORD)));
        assertTrue(sessions.load().isEmpty());
    }

    @Test
    void revokedSessionAndRevokedAppPasswordIsAuthExpiredAfterOnePostAttempt() {
        sessions.save(session("access-old", "refresh-old"));
        server.stubFor(post(CREATE_RECORD).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"InvalidToken\",\"message\":\"Token has been revoked\"}")));
        server.stubFor(post(REFRESH_SESSION).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"ExpiredToken\",\"message\":\"Token has been revoked\"}")));
        server.stubFor(post(CREATE_SESSION).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"AuthenticationRequired\",\"message\":\"Invalid identifier or password\"}")));

        PublishResult result = connector.publish(channel, article("Hello " + LINK, null, null));

        assertEquals(new PublishResult.AuthExpired("Invalid identifier or password"), result);
        server.verify(1, postRequestedFor(urlEqualTo(CREATE_RECORD)));
        server.verify(1, postRequestedFor(urlEqualTo(REFRESH_SESSION)));
        server.verify(1, postRequestedFor(urlEqualTo(CREATE_SESSION)));
        assertTrue(sessions.load().isEmpty());
    }

    @Test
    void serverErrorIsRetryableThenTheNextAttemptIsPublishedWithTheSameSession() {
        stubLogin("access-1", "refresh-1");
        server.stubFor(post(CREATE_RECORD).inScenario("5xx").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(500).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":\"InternalServerError\",\"message\":\"Internal Server Error\"}"))
                .willSetStateTo("recovered"));
        server.stubFor(post(CREATE_RECORD).inScenario("5xx").whenScenarioStateIs("recovered")
                .willReturn(okJson(created())));
        Post post = article("Hello " + LINK, null, null);

        PublishResult first = connector.publish(channel, post);
        PublishResult second = connector.publish(channel, post);

        assertEquals(new PublishResult.Retryable(null, false, "Internal Server Error"), first);
        assertEquals(new PublishResult.Published(POST_URI, POST_URL), second);
        server.verify(2, postRequestedFor(urlEqualTo(CREATE_RECORD)));
        server.verify(1, postRequestedFor(urlEqualTo(CREATE_SESSION)));
    }

    @Test
    void timeoutAfterSendingIsUnknownOutcomeAndThePostIsNotRepeated() {
        stubLogin("access-1", "refresh-1");
        server.stubFor(post(CREATE_RECORD).willReturn(okJson(created()).withFixedDelay(3000)));

        PublishResult result = connector.publish(channel, article("Hello " + LINK, null, null));

        assertEquals(new PublishResult.UnknownOutcome("No answer from 127.0.0.1 within 2 s after sending"), result);
        server.verify(1, postRequestedFor(urlEqualTo(CREATE_RECORD)));
    }

    /**
     * Bluesky does not refuse duplicate text (posting the same text twice makes two posts), so the rejection shown
     * here is the other permanent one: the PDS's record validation.
     */
    @Test
    void invalidRecordIsRejectedWithThePdsMessage() {
        stubLogin("access-1", "refresh-1");
        server.stubFor(post(CREATE_RECORD).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"InvalidRequest\",\"message\":\"Invalid app.bsky.feed.post record: "
                        + "Record/text must not be longer than 300 graphemes\"}")));

        PublishResult result = connector.publish(channel, article("x".repeat(301), null, null));

        assertEquals(new PublishResult.Rejected(
                "Invalid app.bsky.feed.post record: Record/text must not be longer than 300 graphemes"), result);
        server.verify(1, postRequestedFor(urlEqualTo(CREATE_RECORD)));
    }

    @Test
    void unreachablePdsIsRetryableBecauseNothingWasSent() {
        PublishResult result = connector.publish(channel("http://127.0.0.1:1"), article("Hello " + LINK, null, null));

        PublishResult.Retryable retryable = assertInstanceOf(PublishResult.Retryable.class, result);
        assertNull(retryable.notBefore());
        assertFalse(retryable.channelWide());
        assertTrue(retryable.reason().startsWith("Could not connect to 127.0.0.1"), retryable.reason());
    }

    // --- the card thumbnail ------------------------------------------------------------------------------------

    @Test
    void imageThatCannotBeFetchedLeavesTheThumbOutAndThePostGoes() {
        stubLogin("access-1", "refresh-1");
        server.stubFor(get("/images/gone.jpg").willReturn(aResponse().withStatus(404)));
        stubCreated();

        PublishResult result = connector.publish(channel,
                article("Hello " + LINK, pds() + "/images/gone.jpg", null));

        assertEquals(new PublishResult.Published(POST_URI, POST_URL), result);
        server.verify(0, postRequestedFor(urlEqualTo(UPLOAD_BLOB)));
        JsonNode external = onlyBody(CREATE_RECORD).path("record").path("embed").path("external");
        assertEquals(LINK, external.path("uri").asText());
        assertTrue(external.path("thumb").isMissingNode());
    }

    @Test
    void imageThePdsRefusesLeavesTheThumbOut() throws IOException {
        byte[] png = png(10, 10, new Random(2), false);
        stubLogin("access-1", "refresh-1");
        server.stubFor(get("/images/odd.png").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "image/png").withBody(png)));
        server.stubFor(post(UPLOAD_BLOB).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"InvalidRequest\",\"message\":\"Unsupported blob\"}")));
        stubCreated();

        PublishResult result = connector.publish(channel,
                article("Hello " + LINK, pds() + "/images/odd.png", null));

        assertEquals(new PublishResult.Published(POST_URI, POST_URL), result);
        assertTrue(onlyBody(CREATE_RECORD).path("record").path("embed").path("external").path("thumb")
                .isMissingNode());
    }

    @Test
    void oversizedImageIsReencodedBelowTheBlobLimit() throws IOException {
        byte[] noisy = png(1600, 1200, new Random(3), true);
        assertTrue(noisy.length > 1_000_000, "the test image must be over the limit: " + noisy.length);
        stubLogin("access-1", "refresh-1");
        server.stubFor(get("/images/big.png").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "image/png").withBody(noisy)));
        server.stubFor(post(UPLOAD_BLOB).willReturn(okJson(blob("image/jpeg", 999_000))));
        stubCreated();

        PublishResult result = connector.publish(channel,
                article("Hello " + LINK, pds() + "/images/big.png", null));

        assertEquals(new PublishResult.Published(POST_URI, POST_URL), result);
        List<LoggedRequest> uploads = server.findAll(postRequestedFor(urlEqualTo(UPLOAD_BLOB)));
        assertEquals(1, uploads.size());
        LoggedRequest upload = uploads.get(0);
        assertEquals("image/jpeg", upload.getHeader("Content-Type"));
        assertEquals("Bearer access-1", upload.getHeader("Authorization"));
        byte[] sent = upload.getBody();
        assertTrue(sent.length <= 1_000_000, "uploaded " + sent.length + " bytes");
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(sent));
        assertNotNull(decoded);
        assertEquals(1600, decoded.getWidth() * 1200 / decoded.getHeight(), 2, "aspect ratio kept");
        assertEquals(999_000, onlyBody(CREATE_RECORD).path("record").path("embed").path("external").path("thumb")
                .path("size").asInt());
    }

    // --- verify and settings -----------------------------------------------------------------------------------

    @Test
    void verifyLogsInAndReadsTheSession() {
        stubLogin("access-1", "refresh-1");
        server.stubFor(get(GET_SESSION).withHeader("Authorization", equalTo("Bearer access-1"))
                .willReturn(okJson("{\"did\":\"" + DID + "\",\"handle\":\"" + HANDLE + "\",\"active\":true}")));

        assertEquals(Verification.ok(HANDLE), connector.verify(channel));
        assertEquals(Verification.ok(HANDLE), connector.verify(channel));

        server.verify(1, postRequestedFor(urlEqualTo(CREATE_SESSION)));
        server.verify(2, getRequestedFor(urlEqualTo(GET_SESSION)).withHeader("Authorization",
                equalTo("Bearer access-1")));
    }

    @Test
    void verifyRefusedForAWrongAppPassword() {
        server.stubFor(post(CREATE_SESSION).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"AuthenticationRequired\",\"message\":\"Invalid identifier or password\"}")));

        assertEquals(Verification.refused("Invalid identifier or password"), connector.verify(channel));
        server.verify(0, getRequestedFor(urlEqualTo(GET_SESSION)));
    }

    @Test
    void textRulesCount300GraphemesAndCapBytes() {
        TextRules rules = connector.textRules(channel);
        String family = "👨‍👩‍👧‍👦"; // one grapheme, 25 UTF-8 bytes

        assertEquals(300, rules.limit());
        assertEquals("graphemes", rules.unit());
        assertTrue(rules.fits("é".repeat(300)));
        assertFalse(rules.fits("é".repeat(301)));
        assertEquals(120, rules.length(family.repeat(120))); // 3000 bytes: still fits
        assertTrue(rules.fits(family.repeat(120)));
        assertFalse(rules.fits(family.repeat(121)), "3025 bytes is over the PDS's byte cap");
    }

    @Test
    void describesItself() {
        assertEquals(Network.BLUESKY, connector.network());
        assertTrue(connector.usesBaseUrl());
        assertTrue(connector.sendsCard());
        assertEquals("https://bsky.social", connector.defaultBaseUrl().orElseThrow());
        assertEquals(List.of("identifier", "appPassword"),
                connector.credentialFields().stream().map(f -> f.name()).toList());
        assertEquals(Duration.ZERO, connector.idempotencyWindow());
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    Post article(String text, String imageUrl, String language) {
        return new Post(text, LINK, "Tides are changing", "What the new survey of the estuary shows.", List.of(),
                new LinkCard(LINK, "Tides are changing", "What the new survey of the estuary shows.", imageUrl,
                        null),
                language, "k-1", "article");
    }

    void stubLogin(String access, String refresh) {
        server.stubFor(post(CREATE_SESSION).willReturn(okJson(sessionAnswer(access, refresh))));
    }

    void stubCreated() {
        server.stubFor(post(CREATE_RECORD).willReturn(okJson(created())));
    }

    static String sessionAnswer(String access, String refresh) {
        return "{\"did\":\"" + DID + "\",\"handle\":\"" + HANDLE + "\",\"email\":\"news@gazette.example\","
                + "\"emailConfirmed\":true,\"accessJwt\":\"" + access + "\",\"refreshJwt\":\"" + refresh
                + "\",\"active\":true}";
    }

    static String session(String access, String refresh) {
        return new BlueskySession(DID, HANDLE, access, refresh).toJson();
    }

    static String created() {
        return "{\"uri\":\"" + POST_URI + "\",\"cid\":\"bafyreig2fjxi3rptqdgylg7e5hmjl6mcke7rn2b6cugzlqq3i4zu6rq52q\","
                + "\"commit\":{\"cid\":\"bafyreibq\",\"rev\":\"3lbq7tsa3ak2a\"},\"validationStatus\":\"valid\"}";
    }

    static String blob(String mimeType, int size) {
        return "{\"blob\":{\"$type\":\"blob\",\"ref\":{\"$link\":"
                + "\"bafkreibabalobzn6cd366ukcsjycp4yymjymgfxcv6xczmlgpemzkz3cfa\"},\"mimeType\":\"" + mimeType
                + "\",\"size\":" + size + "}}";
    }

    /** A JWT whose payload carries {@code exp}; the signature part is a dummy (the connector does not check it). */
    static String jwt(Instant exp) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"typ\":\"at+jwt\",\"alg\":\"ES256K\"}".getBytes(StandardCharsets.UTF_8));
        String payload = b64.encodeToString(("{\"scope\":\"com.atproto.appPass\",\"sub\":\"" + DID + "\",\"iat\":"
                + NOW.minusSeconds(3600).getEpochSecond() + ",\"exp\":" + exp.getEpochSecond() + "}")
                .getBytes(StandardCharsets.UTF_8));
        return header + "." + payload + ".c2lnbmF0dXJl";
    }

    JsonNode onlyBody(String path) {
        List<LoggedRequest> requests = server.findAll(postRequestedFor(urlEqualTo(path)));
        assertEquals(1, requests.size());
        try {
            return SocialHttp.json().readTree(requests.get(0).getBodyAsString());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static byte[] png(int width, int height, Random random, boolean alpha) throws IOException {
        BufferedImage image = new BufferedImage(width, height,
                alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt());
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
