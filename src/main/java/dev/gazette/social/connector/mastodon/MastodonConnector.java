package dev.gazette.social.connector.mastodon;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

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
 * Mastodon (any instance): {@code POST /api/v1/statuses} with a Bearer token and an {@code Idempotency-Key} that is
 * stable per distribution, so a repeated request within the hour returns the first status instead of a second one.
 * There is no card field: every receiving server fetches the link's Open Graph tags itself.
 */
@Singleton
public class MastodonConnector implements Connector {

    static final String TOKEN = "accessToken";
    static final int DEFAULT_LIMIT = 500;
    static final int URL_WEIGHT = 23;

    private final SocialHttp http;

    public MastodonConnector(SocialHttp http) {
        this.http = http;
    }

    @Override
    public Network network() {
        return Network.MASTODON;
    }

    @Override
    public String label() {
        return "Mastodon";
    }

    @Override
    public Optional<String> baseUrlHint() {
        return Optional.of("The instance, e.g. https://mastodon.social.");
    }

    @Override
    public List<CredentialField> credentialFields() {
        return List.of(new CredentialField(TOKEN, true,
                "Access token of an application made under Preferences → Development on the instance, with the write:statuses"
                        + " and read:accounts scopes"));
    }

    @Override
    public boolean usesBaseUrl() {
        return true;
    }

    @Override
    public TextRules textRules(ChannelAccess channel) {
        return TextRules.codePoints(channel.maxCharacters() > 0 ? channel.maxCharacters() : DEFAULT_LIMIT, URL_WEIGHT);
    }

    @Override
    public Duration idempotencyWindow() {
        return Duration.ofHours(1);
    }

    @Override
    public Verification verify(ChannelAccess channel) {
        try {
            SocialHttp.Response me = http.send(get(channel, "/api/v1/accounts/verify_credentials"));
            if (me.status() == 401 || me.status() == 403) {
                return Verification.refused(error(me));
            }
            if (!me.ok()) {
                return Verification.failed(error(me));
            }
            int limit = 0;
            SocialHttp.Response instance = http.send(get(channel, "/api/v2/instance"));
            if (instance.ok()) {
                limit = instance.json().path("configuration").path("statuses").path("max_characters").asInt(0);
            }
            return Verification.ok("@" + me.json().path("acct").asText() + "@" + URI.create(channel.baseUrl()).getHost(), limit);
        } catch (SocialHttp.NotSent | SocialHttp.OutcomeUnknown e) {
            return Verification.failed(e.getMessage());
        }
    }

    @Override
    public PublishResult publish(ChannelAccess channel, Post post) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", post.text());
        body.put("visibility", "public");
        if (post.language() != null && post.language().length() >= 2) {
            body.put("language", post.language().substring(0, 2));
        }
        String json;
        try {
            json = SocialHttp.json().writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return http.publish(HttpRequest.newBuilder(URI.create(channel.baseUrl() + "/api/v1/statuses"))
                .header("Authorization", "Bearer " + channel.credential(TOKEN))
                .header("Idempotency-Key", post.idempotencyKey())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)), this::outcome);
    }

    private PublishResult outcome(SocialHttp.Response response) {
        if (response.ok()) {
            JsonNode status = response.json();
            return new PublishResult.Published(status.path("id").asText(null), status.path("url").asText(null));
        }
        String reason = error(response);
        Instant now = http.clock().instant();
        return switch (response.status()) {
            case 401 -> new PublishResult.AuthExpired(reason);
            case 429 -> new PublishResult.Retryable(RateLimits.isoInstant(response, "X-RateLimit-Reset")
                    .or(() -> RateLimits.retryAfter(response, now)).orElse(now.plus(Duration.ofMinutes(5))), true, reason);
            default -> response.status() >= 500 ? new PublishResult.Retryable(null, false, reason) : new PublishResult.Rejected(reason);
        };
    }

    private static HttpRequest.Builder get(ChannelAccess channel, String path) {
        return HttpRequest.newBuilder(URI.create(channel.baseUrl() + path))
                .header("Authorization", "Bearer " + channel.credential(TOKEN)).GET();
    }

    /** Mastodon's own words: {@code {"error": "..."}}, or the status code. */
    private static String error(SocialHttp.Response response) {
        String message = response.json().path("error").asText("");
        return message.isBlank() ? "HTTP " + response.status() : message;
    }
}
