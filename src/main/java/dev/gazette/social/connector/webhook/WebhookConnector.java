package dev.gazette.social.connector.webhook;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.gazette.common.WebhookSignature;
import dev.gazette.social.Network;
import dev.gazette.social.spi.ChannelAccess;
import dev.gazette.social.spi.Connector;
import dev.gazette.social.spi.CredentialField;
import dev.gazette.social.spi.LinkCard;
import dev.gazette.social.spi.Post;
import dev.gazette.social.spi.PublishResult;
import dev.gazette.social.spi.RateLimits;
import dev.gazette.social.spi.SocialHttp;
import dev.gazette.social.spi.TextRules;
import dev.gazette.social.spi.Verification;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Delivers each post as a signed JSON event to a URL of the channel owner's choosing (the channel's base URL). The
 * body describes the article or digest; {@code X-Gazette-Signature} signs it with the channel's secret (see
 * {@link WebhookSignature}) and {@code X-Gazette-Delivery} carries the idempotency key, the same on every attempt of
 * one distribution, so receivers can drop repeats.
 * <p>
 * Answers: 2xx delivered; 429 and 5xx try again; 401/403 (the receiver refuses our signature) and 410 (the receiver
 * says the endpoint is gone for good) pause the channel for an editor, since every later delivery would fail the same
 * way; other 4xx refuse this one post.
 */
@Singleton
public class WebhookConnector implements Connector {

    static final String SECRET = "secret";
    static final int MIN_SECRET_LENGTH = 16;
    static final String DELIVERY_HEADER = "X-Gazette-Delivery";
    static final String EVENT_HEADER = "X-Gazette-Event";
    private static final int MAX_REASON = 300;

    private final int maxGraphemes;
    private final SocialHttp http;

    @Inject
    WebhookConnector(WebhookConfig config, SocialHttp http) {
        this(config.maxGraphemes(), http);
    }

    /**
     * @param maxGraphemes the longest text sent, in graphemes
     */
    public WebhookConnector(int maxGraphemes, SocialHttp http) {
        this.maxGraphemes = maxGraphemes;
        this.http = http;
    }

    @Override
    public Network network() {
        return Network.WEBHOOK;
    }

    @Override
    public String label() {
        return "Webhook (yours)";
    }

    @Override
    public Optional<String> baseUrlHint() {
        return Optional.of("The receiver's URL; it checks the X-Gazette-Signature header.");
    }

    @Override
    public List<CredentialField> credentialFields() {
        return List.of(new CredentialField(SECRET, true,
                "Shared signing secret, at least 16 characters (e.g. the output of `openssl rand -hex 32`). Give the"
                        + " same secret to the receiver: it checks the X-Gazette-Signature header"
                        + " (t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + \".\" + body)>) and refuses"
                        + " timestamps more than 5 minutes off."));
    }

    @Override
    public boolean usesBaseUrl() {
        return true;
    }

    @Override
    public Optional<String> defaultBaseUrl() {
        return Optional.empty();
    }

    @Override
    public boolean sendsCard() {
        return true;
    }

    @Override
    public TextRules textRules(ChannelAccess channel) {
        return TextRules.graphemes(maxGraphemes);
    }

    /** There is no read-only call on a receiver: only the URL and the secret are checked, locally. */
    @Override
    public Verification verify(ChannelAccess channel) {
        String problem = secretProblem(channel.credentials().get(SECRET));
        if (problem != null) {
            return Verification.refused(problem);
        }
        URI uri = receiver(channel);
        if (uri == null) {
            return Verification.refused(badUrlMessage(channel.baseUrl()));
        }
        try {
            http.checkAddress(uri);
        } catch (SocialHttp.NotSent e) {
            return Verification.failed(e.getMessage());
        }
        return Verification.ok("webhook: not checked");
    }

    @Override
    public PublishResult publish(ChannelAccess channel, Post post) {
        String secret = channel.credentials().get(SECRET);
        String problem = secretProblem(secret);
        if (problem != null) {
            return new PublishResult.AuthExpired(problem);
        }
        URI uri = receiver(channel);
        if (uri == null) {
            return new PublishResult.AuthExpired(badUrlMessage(channel.baseUrl()));
        }
        long sentAt = http.clock().instant().getEpochSecond();
        String event = event(post.kind());
        String body;
        try {
            body = SocialHttp.json().writeValueAsString(body(post, event, Instant.ofEpochSecond(sentAt)));
        } catch (JsonProcessingException e) {
            return new PublishResult.Rejected("Could not write the event: " + e.getOriginalMessage());
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .header(EVENT_HEADER, event)
                .header(WebhookSignature.HEADER, WebhookSignature.header(secret, sentAt, body))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (post.idempotencyKey() != null) {
            request.header(DELIVERY_HEADER, post.idempotencyKey());
        }
        SocialHttp.Response response;
        try {
            response = http.send(request);
        } catch (SocialHttp.NotSent e) {
            return e.permanent() ? new PublishResult.Rejected(e.getMessage())
                    : new PublishResult.Retryable(null, false, e.getMessage());
        } catch (SocialHttp.OutcomeUnknown e) {
            return new PublishResult.UnknownOutcome(e.getMessage());
        }
        int status = response.status();
        if (response.ok()) {
            // The receiver has no id of its own to give back: the delivery id names the event.
            return new PublishResult.Published(post.idempotencyKey(), null);
        }
        String reason = reason(response);
        if (status == 429) {
            return new PublishResult.Retryable(RateLimits.retryAfter(response, http.clock().instant()).orElse(null),
                    true, reason);
        }
        if (status >= 500) {
            return new PublishResult.Retryable(null, false, reason);
        }
        if (status == 401 || status == 403 || status == 410) {
            return new PublishResult.AuthExpired(reason);
        }
        return new PublishResult.Rejected(reason);
    }

    /** {@code article.published} or {@code digest.published}, from {@link Post#kind()}. */
    static String event(String kind) {
        if (kind == null || kind.isBlank() || kind.equals("article")) {
            return "article.published";
        }
        if (kind.equals("digest_announcement") || kind.equals("digest")) {
            return "digest.published";
        }
        return kind.strip() + ".published";
    }

    static ObjectNode body(Post post, String event, Instant sentAt) {
        ObjectNode body = SocialHttp.json().createObjectNode();
        body.put("event", event);
        body.put("id", post.idempotencyKey());
        body.put("title", post.title());
        body.put("summary", post.summary());
        body.put("url", post.link());
        body.put("text", post.text());
        ArrayNode topics = body.putArray("topics");
        if (post.topics() != null) {
            post.topics().forEach(topics::add);
        }
        body.put("language", post.language());
        LinkCard card = post.card();
        if (card == null) {
            body.putNull("card");
        } else {
            ObjectNode c = body.putObject("card");
            c.put("url", card.url());
            c.put("title", card.title());
            c.put("description", card.description());
            c.put("imageUrl", card.imageUrl());
            c.put("imageAlt", card.imageAlt());
        }
        body.put("sentAt", sentAt.toString());
        return body;
    }

    @Override
    public java.util.Map<String, String> problems(String account, java.util.Map<String, String> credentials) {
        String secret = credentials.get(SECRET);
        String problem = secret == null ? null : secretProblem(secret);
        return problem == null ? java.util.Map.of() : java.util.Map.of("credentials." + SECRET, problem);
    }

    private static String secretProblem(String secret) {
        if (secret == null || secret.isBlank()) {
            return "The channel has no signing secret";
        }
        if (secret.length() < MIN_SECRET_LENGTH) {
            return "The signing secret is too short: use at least " + MIN_SECRET_LENGTH + " characters";
        }
        return null;
    }

    private static URI receiver(ChannelAccess channel) {
        String url = channel.baseUrl();
        if (url == null || url.isBlank()) {
            return null;
        }
        try {
            URI uri = new URI(url.strip());
            String scheme = uri.getScheme();
            boolean http = "https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme);
            return http && uri.getHost() != null && uri.getFragment() == null ? uri : null;
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }

    private static String badUrlMessage(String url) {
        return url == null || url.isBlank() ? "The channel has no receiver URL"
                : "The receiver URL is not an http(s) URL without a #fragment: " + url;
    }

    /** The receiver's own words: the start of its body, else the status. */
    private static String reason(SocialHttp.Response response) {
        String body = response.body() == null ? "" : response.body().strip();
        if (body.isEmpty()) {
            return "HTTP " + response.status();
        }
        if (body.length() > MAX_REASON) {
            int end = Character.isHighSurrogate(body.charAt(MAX_REASON - 1)) ? MAX_REASON - 1 : MAX_REASON;
            body = body.substring(0, end) + "…";
        }
        return "HTTP " + response.status() + ": " + body;
    }
}
