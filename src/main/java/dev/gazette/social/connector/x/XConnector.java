package dev.gazette.social.connector.x;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.gazette.common.Text;
import dev.gazette.social.Network;
import dev.gazette.social.spi.ChannelAccess;
import dev.gazette.social.spi.Connector;
import dev.gazette.social.spi.CredentialField;
import dev.gazette.social.spi.Post;
import dev.gazette.social.spi.PublishResult;
import dev.gazette.social.spi.RateLimits;
import dev.gazette.social.spi.SocialHttp;
import dev.gazette.social.spi.TextRules;
import dev.gazette.social.spi.Verification;

/**
 * Posts to X with {@code POST /2/tweets}, signed with OAuth 1.0a user context (the app's API key and secret, the
 * account's access token and secret). The preview card is built by X from the article page's meta tags.
 */
@Singleton
public class XConnector implements Connector {

    static final String API_KEY = "apiKey";
    static final String API_SECRET = "apiSecret";
    static final String ACCESS_TOKEN = "accessToken";
    static final String ACCESS_TOKEN_SECRET = "accessTokenSecret";

    private final String apiUrl;
    private final SocialHttp http;
    private final Supplier<String> nonces;

    @Inject
    XConnector(XConfig config, SocialHttp http) {
        this(config.apiUrl(), http);
    }

    /** @param apiUrl the X API base URL, e.g. {@code https://api.x.com} */
    public XConnector(String apiUrl, SocialHttp http) {
        this(apiUrl, http, OAuth1Signer::randomNonce);
    }

    /** @param nonces supplies {@code oauth_nonce} values (fixed in tests) */
    public XConnector(String apiUrl, SocialHttp http, Supplier<String> nonces) {
        this.apiUrl = Text.withoutTrailingSlash(apiUrl);
        this.http = http;
        this.nonces = nonces;
    }

    @Override
    public Network network() {
        return Network.X;
    }

    @Override
    public String label() {
        return "X";
    }

    @Override
    public List<CredentialField> credentialFields() {
        String where = "In the X Developer Console, open the app (User authentication settings: app permissions "
                + "\"Read and write\") and its \"Keys and tokens\" page. ";
        return List.of(
                new CredentialField(API_KEY, true, where + "API Key (OAuth 1.0a consumer key)."),
                new CredentialField(API_SECRET, true, where + "API Key Secret (consumer secret)."),
                new CredentialField(ACCESS_TOKEN, true, where + "Access Token of the account that posts, generated "
                        + "after setting \"Read and write\" (a token made before that change can only read)."),
                new CredentialField(ACCESS_TOKEN_SECRET, true, where + "Access Token Secret of the same account."));
    }

    @Override
    public TextRules textRules(ChannelAccess channel) {
        return TextRules.twitter();
    }

    @Override
    public Verification verify(ChannelAccess channel) {
        URI uri = URI.create(apiUrl + "/2/users/me");
        OAuth1Signer signer;
        try {
            signer = signer(channel);
        } catch (IllegalStateException e) {
            return Verification.refused(e.getMessage());
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET()
                .header("Authorization", signer.authorizationHeader("GET", uri, List.of()));
        SocialHttp.Response response;
        try {
            response = http.send(request);
        } catch (SocialHttp.NotSent | SocialHttp.OutcomeUnknown e) {
            return Verification.failed(e.getMessage());
        }
        if (response.ok()) {
            String username = response.json().path("data").path("username").asText("");
            return username.isEmpty() ? Verification.failed("X answered without a username")
                    : Verification.ok("@" + username);
        }
        if (response.status() == 401) {
            return Verification.refused(reason(response));
        }
        return Verification.failed(reason(response));
    }

    @Override
    public PublishResult publish(ChannelAccess channel, Post post) {
        URI uri = URI.create(apiUrl + "/2/tweets");
        ObjectNode body = SocialHttp.json().createObjectNode().put("text", post.text());
        OAuth1Signer signer;
        try {
            signer = signer(channel);
        } catch (IllegalStateException e) {
            return new PublishResult.AuthExpired(e.getMessage()); // a credential is missing: reconnect the channel
        }
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(uri)
                    .header("Content-Type", "application/json")
                    // The JSON body is not a signed parameter: only the oauth_* values (and any query) are.
                    .header("Authorization", signer.authorizationHeader("POST", uri, List.of()))
                    .POST(HttpRequest.BodyPublishers.ofString(SocialHttp.json().writeValueAsString(body)));
        } catch (JsonProcessingException e) {
            return new PublishResult.Rejected("Could not encode the post: " + e.getMessage());
        }
        return http.publish(request, this::outcome);
    }

    private PublishResult outcome(SocialHttp.Response response) {
        int status = response.status();
        if (response.ok()) {
            String id = response.json().path("data").path("id").asText("");
            return id.isEmpty() ? new PublishResult.Published(null, null)
                    : new PublishResult.Published(id, "https://x.com/i/web/status/" + id);
        }
        if (status == 429) {
            return new PublishResult.Retryable(resetTime(response).orElse(null), true, reason(response));
        }
        if (status == 401) {
            return new PublishResult.AuthExpired(reason(response));
        }
        if (status >= 500) {
            return new PublishResult.Retryable(null, false, reason(response));
        }
        // 403 covers duplicate text ("You are not allowed to create a Tweet with duplicate content.") as well as an
        // app without write permission; 400 covers invalid text. None of them is helped by trying again.
        return new PublishResult.Rejected(reason(response));
    }

    /**
     * When the limit that answered 429 resets. X sends the 15-minute window's reset as {@code x-rate-limit-reset}
     * (epoch seconds, documented at https://docs.x.com/x-api/fundamentals/rate-limits). When the 24-hour limit is the
     * exhausted one, it also sends {@code x-user-limit-24hour-*} (and for the app, {@code x-app-limit-24hour-*});
     * those headers are seen in answers but no longer documented, so they are read only when present and their
     * {@code -remaining} is 0. The latest reset of the exhausted limits wins: trying before it would fail again.
     */
    static Optional<Instant> resetTime(SocialHttp.Response response) {
        Optional<Instant> latest = Optional.empty();
        for (String limit : List.of("x-user-limit-24hour", "x-app-limit-24hour")) {
            boolean exhausted = response.header(limit + "-remaining").map(String::trim).filter("0"::equals).isPresent();
            if (exhausted) {
                latest = later(latest, RateLimits.epochSeconds(response, limit + "-reset"));
            }
        }
        boolean windowExhausted = response.header("x-rate-limit-remaining").map(String::trim).filter("0"::equals)
                .isPresent();
        if (latest.isEmpty() || windowExhausted) {
            latest = later(latest, RateLimits.epochSeconds(response, "x-rate-limit-reset"));
        }
        return latest;
    }

    private static Optional<Instant> later(Optional<Instant> a, Optional<Instant> b) {
        if (a.isEmpty()) {
            return b;
        }
        if (b.isEmpty()) {
            return a;
        }
        return a.get().isAfter(b.get()) ? a : b;
    }

    /**
     * X's own words: v2 problem details carry {@code detail} (and {@code title}); older answers an
     * {@code errors[].message}.
     */
    static String reason(SocialHttp.Response response) {
        JsonNode json = response.json();
        for (String field : List.of("detail", "title")) {
            String text = json.path(field).asText("");
            if (!text.isBlank()) {
                return text;
            }
        }
        JsonNode first = json.path("errors").path(0);
        for (String field : List.of("message", "detail")) {
            String text = first.path(field).asText("");
            if (!text.isBlank()) {
                return text;
            }
        }
        return "HTTP " + response.status();
    }

    private OAuth1Signer signer(ChannelAccess channel) {
        OAuth1Signer.Credentials credentials = new OAuth1Signer.Credentials(channel.credential(API_KEY),
                channel.credential(API_SECRET), channel.credential(ACCESS_TOKEN),
                channel.credential(ACCESS_TOKEN_SECRET));
        return new OAuth1Signer(credentials, nonces, () -> http.clock().instant().getEpochSecond());
    }
}
