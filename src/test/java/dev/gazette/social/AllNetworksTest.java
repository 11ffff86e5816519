package dev.gazette.social;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;

import dev.gazette.article.Article;
import dev.gazette.link.TrackedLink;
import dev.gazette.testing.GazetteTest;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;

/**
 * One article, nine channels, through the real CDI wiring and configuration: every network's connector is found,
 * validates its channel, and receives exactly one request.
 */
@QuarkusTest
class AllNetworksTest extends GazetteTest {

    @Inject
    SocialPublisher publisher;

    String editor;

    @BeforeEach
    void editor() {
        editor = fixtures.editorToken();
    }

    private Map<String, Map<String, Object>> channels() {
        String base = wireMock.baseUrl();
        Map<String, Map<String, Object>> c = new LinkedHashMap<>();
        c.put("MASTODON", Map.of("baseUrl", base, "credentials", Map.of("accessToken", "m-token")));
        c.put("BLUESKY", Map.of("baseUrl", base, "credentials", Map.of("identifier", "news.example.org", "appPassword", "abcd-efgh-ijkl-mnop")));
        c.put("X", Map.of("credentials", Map.of("apiKey", "ck", "apiSecret", "cs", "accessToken", "at", "accessTokenSecret", "ats")));
        c.put("FACEBOOK", Map.of("account", "12345", "credentials", Map.of("pageAccessToken", "fb-token")));
        c.put("LINKEDIN", Map.of("account", "urn:li:organization:777", "credentials", Map.of("accessToken", "li-token")));
        c.put("TELEGRAM", Map.of("account", "@gazette", "credentials", Map.of("botToken", "123456:AAH-telegram_token")));
        c.put("DISCORD", Map.of("credentials", Map.of("webhookUrl", base + "/api/webhooks/42/discord-token")));
        c.put("SLACK", Map.of("credentials", Map.of("webhookUrl", base + "/services/T1/B2/slacktoken")));
        c.put("WEBHOOK", Map.of("baseUrl", base + "/hook", "credentials", Map.of("secret", "0123456789abcdef-secret")));
        return c;
    }

    private static String jwt() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"ES256K\",\"typ\":\"at+jwt\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString("{\"sub\":\"did:plc:abc\",\"exp\":4102444800}".getBytes(StandardCharsets.UTF_8)) + ".c2ln";
    }

    @Test
    void everyNetworkGetsTheArticleOnceWithItsOwnTrackedLink() {
        channels().forEach((network, fields) -> {
            Map<String, Object> body = new LinkedHashMap<>(fields);
            body.put("network", network);
            body.put("name", network.toLowerCase());
            given().auth().oauth2(editor).contentType(ContentType.JSON).body(body).post("/api/v1/channels")
                    .then().statusCode(201).body("network", equalTo(network));
        });
        wireMock.stubFor(post(urlEqualTo("/api/v1/statuses")).willReturn(aResponse()
                .withBody("{\"id\":\"m1\",\"url\":\"https://social.example/@news/m1\"}")));
        wireMock.stubFor(post(urlEqualTo("/xrpc/com.atproto.server.createSession")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody("{\"did\":\"did:plc:abc\",\"handle\":\"news.example.org\","
                        + "\"accessJwt\":\"" + jwt() + "\",\"refreshJwt\":\"" + jwt() + "\"}")));
        wireMock.stubFor(post(urlEqualTo("/xrpc/com.atproto.repo.createRecord")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json")
                .withBody("{\"uri\":\"at://did:plc:abc/app.bsky.feed.post/3kabc\",\"cid\":\"bafy\"}")));
        wireMock.stubFor(post(urlEqualTo("/2/tweets")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"data\":{\"id\":\"1890\",\"text\":\"…\"}}")));
        wireMock.stubFor(post(urlPathMatching("/v[0-9.]+/12345/feed")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody("{\"id\":\"12345_678\"}")));
        wireMock.stubFor(post(urlEqualTo("/rest/posts")).willReturn(aResponse().withStatus(201)
                .withHeader("x-restli-id", "urn:li:share:999")));
        wireMock.stubFor(post(urlEqualTo("/bot123456:AAH-telegram_token/sendMessage")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json")
                .withBody("{\"ok\":true,\"result\":{\"message_id\":5,\"chat\":{\"id\":-100,\"username\":\"gazette\"}}}")));
        wireMock.stubFor(post(urlPathEqualTo("/api/v10/webhooks/42/discord-token")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody("{\"id\":\"d77\",\"channel_id\":\"c1\"}")));
        wireMock.stubFor(post(urlEqualTo("/services/T1/B2/slacktoken")).willReturn(aResponse().withBody("ok")));
        wireMock.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(204)));

        fixtures.topic("Climate change", "climate");
        Article article = fixtures.published("Glaciers retreat faster", "Body.", "climate");
        assertEquals(9, publisher.publishDue());

        List<Distribution> rows = QuarkusTransaction.requiringNew()
                .call(() -> Distribution.<Distribution>list("articleId", article.id));
        assertEquals(9, rows.size());
        rows.forEach(d -> assertEquals(DistributionStatus.PUBLISHED, d.status, "distribution " + d.id + ": " + d.error));
        Map<Network, Distribution> byNetwork = rows.stream().collect(Collectors.toMap(
                d -> QuarkusTransaction.requiringNew().call(() -> Channel.<Channel>findById(d.channelId)).network, d -> d));
        assertEquals("https://social.example/@news/m1", byNetwork.get(Network.MASTODON).externalUrl);
        assertEquals("at://did:plc:abc/app.bsky.feed.post/3kabc", byNetwork.get(Network.BLUESKY).externalId);
        assertEquals("https://x.com/i/web/status/1890", byNetwork.get(Network.X).externalUrl);
        assertEquals("12345_678", byNetwork.get(Network.FACEBOOK).externalId);
        assertEquals("urn:li:share:999", byNetwork.get(Network.LINKEDIN).externalId);
        assertEquals("https://t.me/gazette/5", byNetwork.get(Network.TELEGRAM).externalUrl);
        assertEquals("d77", byNetwork.get(Network.DISCORD).externalId);

        for (RequestPatternBuilder request : List.of(postRequestedFor(urlEqualTo("/api/v1/statuses")),
                postRequestedFor(urlEqualTo("/xrpc/com.atproto.repo.createRecord")), postRequestedFor(urlEqualTo("/2/tweets")),
                postRequestedFor(urlPathMatching("/v[0-9.]+/12345/feed")), postRequestedFor(urlEqualTo("/rest/posts")),
                postRequestedFor(urlEqualTo("/bot123456:AAH-telegram_token/sendMessage")),
                postRequestedFor(urlPathEqualTo("/api/v10/webhooks/42/discord-token")),
                postRequestedFor(urlEqualTo("/services/T1/B2/slacktoken")), postRequestedFor(urlEqualTo("/hook")))) {
            wireMock.verify(1, request);
        }
        assertNotNull(wireMock.findAll(postRequestedFor(urlEqualTo("/hook"))).get(0).getHeader("X-Gazette-Signature"));
        assertTrue(wireMock.findAll(postRequestedFor(urlEqualTo("/2/tweets"))).get(0).getHeader("Authorization")
                .startsWith("OAuth "));

        // each post carries its own tracked link, tagged with its network
        for (Map.Entry<Network, Distribution> e : byNetwork.entrySet()) {
            TrackedLink link = QuarkusTransaction.requiringNew().call(() -> TrackedLink.findById(e.getValue().linkId));
            assertEquals(e.getKey().utmSource(), link.utmSource);
            assertEquals("social", link.utmMedium);
            assertEquals(article.slug, link.utmCampaign);
            assertTrue(e.getValue().postText.contains("/r/" + link.code), e.getKey() + ": " + e.getValue().postText);
            assertTrue(e.getValue().postText.contains("#ClimateChange"), e.getKey() + ": " + e.getValue().postText);
        }
        given().auth().oauth2(editor).get("/api/v1/articles/" + article.id + "/social-preview").then().statusCode(200)
                .body("size()", equalTo(9)).body("fits", org.hamcrest.Matchers.everyItem(equalTo(true)))
                .body("linkFinal", org.hamcrest.Matchers.everyItem(equalTo(true)))
                .body("find { it.network == 'X' }.unit", equalTo("weighted characters"))
                .body("find { it.network == 'BLUESKY' }.cardSent", equalTo(true));
    }

    @Test
    void eachNetworkChecksItsOwnFields() {
        record Bad(String network, Map<String, Object> fields, String field, String message) {
        }
        String base = wireMock.baseUrl();
        for (Bad bad : List.of(
                new Bad("FACEBOOK", Map.of("account", "my-page", "credentials", Map.of("pageAccessToken", "t")), "account", "page id"),
                new Bad("LINKEDIN", Map.of("account", "acme", "credentials", Map.of("accessToken", "t")), "account", "urn:li:"),
                new Bad("TELEGRAM", Map.of("credentials", Map.of("botToken", "not-a-token")), "credentials.botToken", "BotFather"),
                new Bad("DISCORD", Map.of("credentials", Map.of("webhookUrl", "https://evil.example/api/webhooks/1/x")),
                        "credentials.webhookUrl", "Discord webhook"),
                new Bad("SLACK", Map.of("credentials", Map.of("webhookUrl", base + "/other")), "credentials.webhookUrl", "Slack"),
                new Bad("WEBHOOK", Map.of("baseUrl", base + "/hook", "credentials", Map.of("secret", "short")), "credentials.secret", "16"),
                new Bad("X", Map.of("credentials", Map.of("apiKey", "ck")), "credentials.apiSecret", "required"),
                new Bad("BLUESKY", Map.of("credentials", Map.of("identifier", "news.example.org")), "credentials.appPassword", "App passwords"))) {
            Map<String, Object> body = new LinkedHashMap<>(bad.fields());
            body.put("network", bad.network());
            body.put("name", "bad");
            given().auth().oauth2(editor).contentType(ContentType.JSON).body(body).post("/api/v1/channels").then()
                    .statusCode(400).contentType("application/problem+json")
                    .body("violations.field", hasItem(bad.field()))
                    .body("violations.find { it.field == '" + bad.field() + "' }.message", containsString(bad.message()));
        }
        given().auth().oauth2(editor).get("/api/v1/channels").then().body("size()", equalTo(0));
    }
}
