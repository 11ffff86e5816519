package dev.gazette.social.connector.bluesky;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.gazette.common.Text;
import dev.gazette.social.Network;
import dev.gazette.social.spi.ChannelAccess;
import dev.gazette.social.spi.Connector;
import dev.gazette.social.spi.CredentialField;
import dev.gazette.social.spi.Graphemes;
import dev.gazette.social.spi.LinkCard;
import dev.gazette.social.spi.Post;
import dev.gazette.social.spi.PublishResult;
import dev.gazette.social.spi.SocialHttp;
import dev.gazette.social.spi.TextRules;
import dev.gazette.social.spi.Verification;

/**
 * Posts to Bluesky through the channel's PDS with an app password; the session is {@link BlueskyPds}'s. An access
 * token the PDS calls expired is refreshed (the refresh token rotates) and the refused call, which created nothing,
 * is made once more.
 * <p>
 * The post carries its own rich text (a link facet, so the link is clickable, and tag facets) and its own link card
 * ({@code app.bsky.embed.external}), with the lead image uploaded as a blob: Bluesky builds neither itself.
 * Bluesky does not refuse duplicate text, so a repeated post is not detected by the network.
 */
@Singleton
public class BlueskyConnector implements Connector {

    static final String POST_COLLECTION = "app.bsky.feed.post";

    /** Bluesky's text limit in graphemes, and the byte cap the PDS adds to it. */
    static final int MAX_GRAPHEMES = 300;
    static final int MAX_TEXT_BYTES = 3000;

    /** The createdAt format: ISO 8601 in UTC with milliseconds, as Bluesky's own clients write it. */
    static final DateTimeFormatter CREATED_AT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final String defaultPds;
    private final String webUrl;
    private final Duration refreshMargin;
    private final SocialHttp http;
    private final Thumbnails thumbnails;
    private final ConcurrentHashMap<Long, Object> sessionLocks = new ConcurrentHashMap<>();

    @Inject
    public BlueskyConnector(BlueskyConfig config, SocialHttp http) {
        this(config.defaultPds(), config.webUrl(), config.refreshMargin(), config.maxThumbBytes(), http);
    }

    /** For tests: the default PDS and the web app base URL, other settings at their defaults. */
    public BlueskyConnector(String defaultPds, String webUrl, SocialHttp http) {
        this(defaultPds, webUrl, Duration.ofMinutes(2), 1_000_000, http);
    }

    public BlueskyConnector(String defaultPds, String webUrl, Duration refreshMargin, int maxThumbBytes,
            SocialHttp http) {
        this.defaultPds = Text.withoutTrailingSlash(defaultPds);
        this.webUrl = Text.withoutTrailingSlash(webUrl);
        this.refreshMargin = refreshMargin;
        this.http = http;
        this.thumbnails = new Thumbnails(http, maxThumbBytes);
    }

    @Override
    public Network network() {
        return Network.BLUESKY;
    }

    @Override
    public String label() {
        return "Bluesky";
    }

    @Override
    public Optional<String> baseUrlHint() {
        return Optional.of("The account's PDS; leave empty for the default.");
    }

    @Override
    public List<CredentialField> credentialFields() {
        return List.of(
                new CredentialField("identifier", true,
                        "The account's handle (e.g. news.bsky.social or your own domain) or its DID (did:plc:…)"),
                new CredentialField("appPassword", true,
                        "An app password, created in Bluesky under Settings → Privacy and security → App passwords"
                                + " (not the account password; direct-message access is not needed)"));
    }

    @Override
    public Optional<String> defaultBaseUrl() {
        return Optional.of(defaultPds);
    }

    @Override
    public boolean usesBaseUrl() {
        return true;
    }

    @Override
    public boolean sendsCard() {
        return true;
    }

    /** 300 graphemes; text over the PDS's 3000-byte cap counts as over the limit whatever its graphemes. */
    @Override
    public TextRules textRules(ChannelAccess channel) {
        return new TextRules(MAX_GRAPHEMES, "graphemes", text -> {
            int graphemes = Graphemes.count(text);
            return TextRules.utf8Bytes(text) > MAX_TEXT_BYTES ? Math.max(graphemes, MAX_GRAPHEMES + 1) : graphemes;
        });
    }

    @Override
    public Verification verify(ChannelAccess channel) {
        try {
            BlueskyPds pds = pds(channel);
            SocialHttp.Response response = authorized(pds,
                    session -> pds.request(Xrpc.GET_SESSION, session).GET());
            if (response.ok()) {
                JsonNode body = response.json();
                String handle = body.path("handle").asText("");
                return Verification.ok(handle.isEmpty() ? body.path("did").asText("") : handle);
            }
            if (Xrpc.tokenRefused(response) || Xrpc.accountGone(response)) {
                return Verification.refused(Xrpc.message(response));
            }
            return Verification.failed(Xrpc.message(response));
        } catch (Xrpc.Stop stop) {
            if (stop.result instanceof PublishResult.AuthExpired expired) {
                return Verification.refused(expired.reason());
            }
            return Verification.failed(reason(stop.result));
        } catch (SocialHttp.NotSent | SocialHttp.OutcomeUnknown e) {
            return Verification.failed(e.getMessage());
        }
    }

    @Override
    public PublishResult publish(ChannelAccess channel, Post post) {
        try {
            BlueskyPds pds = pds(channel);
            ObjectNode record = record(post);
            ObjectNode embed = embed(pds, post);
            if (embed != null) {
                record.set("embed", embed);
            }
            SocialHttp.Response response;
            try {
                response = authorized(pds, session -> pds.request(Xrpc.CREATE_RECORD, session)
                        .header("Content-Type", "application/json")
                        .POST(Xrpc.json(SocialHttp.json().createObjectNode()
                                .put("repo", session.did())
                                .put("collection", POST_COLLECTION)
                                .set("record", record))));
            } catch (SocialHttp.NotSent e) {
                return Xrpc.notSent(e);
            } catch (SocialHttp.OutcomeUnknown e) {
                return new PublishResult.UnknownOutcome(e.getMessage());
            }
            if (response.ok()) {
                String uri = response.json().path("uri").asText("");
                return uri.isEmpty() ? new PublishResult.Published(response.json().path("cid").asText(null), null)
                        : new PublishResult.Published(uri, postUrl(uri));
            }
            return failure(pds, response);
        } catch (Xrpc.Stop stop) {
            return stop.result;
        }
    }

    /** The {@code app.bsky.feed.post} record without its embed. */
    ObjectNode record(Post post) {
        ObjectNode record = SocialHttp.json().createObjectNode();
        record.put("$type", POST_COLLECTION);
        record.put("text", post.text());
        record.put("createdAt", CREATED_AT.format(http.clock().instant()));
        if (post.language() != null && !post.language().isBlank()) {
            record.putArray("langs").add(post.language().trim().replace('_', '-'));
        }
        List<Facets.Facet> facets = Facets.of(post.text(), post.link());
        if (!facets.isEmpty()) {
            record.set("facets", Facets.toJson(facets));
        }
        return record;
    }

    /** The link card, its lead image uploaded as the thumbnail when it can be fetched; null without a card. */
    private ObjectNode embed(BlueskyPds pds, Post post) throws Xrpc.Stop {
        LinkCard card = post.card();
        String uri = card != null && card.url() != null ? card.url() : post.link();
        if (card == null || uri == null) {
            return null;
        }
        ObjectNode embed = SocialHttp.json().createObjectNode().put("$type", "app.bsky.embed.external");
        ObjectNode external = embed.putObject("external");
        external.put("uri", uri);
        external.put("title", firstNonNull(card.title(), post.title(), ""));
        external.put("description", firstNonNull(card.description(), post.summary(), ""));
        if (card.imageUrl() != null && !card.imageUrl().isBlank()) {
            pds.session(); // log in before fetching the image: no point fetching it for a channel that cannot post
            Optional<Thumbnails.Image> image = thumbnails.fetch(card.imageUrl());
            if (image.isPresent()) {
                JsonNode blob = upload(pds, image.get());
                if (blob != null) {
                    external.set("thumb", blob);
                }
            }
        }
        return embed;
    }

    /**
     * Uploads the thumbnail and returns the blob object exactly as the PDS describes it; null (no thumbnail) when the
     * PDS refuses the image itself. Rate limits, refused credentials and server errors end the attempt: nothing has
     * been posted yet, so trying again later is safe.
     */
    private JsonNode upload(BlueskyPds pds, Thumbnails.Image image) throws Xrpc.Stop {
        SocialHttp.Response response;
        try {
            response = authorized(pds, session -> pds.request(Xrpc.UPLOAD_BLOB, session)
                    .header("Content-Type", image.contentType())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(image.bytes())));
        } catch (SocialHttp.NotSent e) {
            throw new Xrpc.Stop(Xrpc.notSent(e));
        } catch (SocialHttp.OutcomeUnknown e) {
            throw new Xrpc.Stop(new PublishResult.Retryable(null, false, e.getMessage()));
        }
        if (response.ok()) {
            JsonNode blob = response.json().path("blob");
            return blob.isObject() ? blob : null;
        }
        if (response.status() == 429 || response.status() >= 500 || Xrpc.tokenRefused(response)
                || Xrpc.accountGone(response)) {
            throw new Xrpc.Stop(failure(pds, response));
        }
        return null;
    }

    /**
     * Makes a call with the session's access token; when the PDS refuses the token, renews the session (refresh,
     * else a new login) and makes the call once more. The refused call created nothing, so repeating it is safe.
     */
    private SocialHttp.Response authorized(BlueskyPds pds, Function<BlueskySession, HttpRequest.Builder> request)
            throws Xrpc.Stop, SocialHttp.NotSent, SocialHttp.OutcomeUnknown {
        BlueskySession session = pds.session();
        SocialHttp.Response response = http.send(request.apply(session));
        if (!Xrpc.tokenRefused(response)) {
            return response;
        }
        return http.send(request.apply(pds.renew(session)));
    }

    /** Maps a non-2xx answer of a call made with a fresh session to its outcome. */
    private PublishResult failure(BlueskyPds pds, SocialHttp.Response response) {
        if (response.status() == 429) {
            return Xrpc.rateLimited(response, http.clock().instant());
        }
        if (Xrpc.tokenRefused(response) || Xrpc.accountGone(response)) {
            pds.store().clear(); // a token refused right after renewal: start from a new login next time
            return new PublishResult.AuthExpired(Xrpc.message(response));
        }
        if (response.status() >= 500) {
            return new PublishResult.Retryable(null, false, Xrpc.message(response));
        }
        return new PublishResult.Rejected(Xrpc.message(response));
    }

    private BlueskyPds pds(ChannelAccess channel) throws Xrpc.Stop {
        return new BlueskyPds(channel, defaultPds, refreshMargin, http,
                sessionLocks.computeIfAbsent(channel.channelId(), id -> new Object()));
    }

    /** {@code at://<did>/app.bsky.feed.post/<rkey>} → {@code <web>/profile/<did>/post/<rkey>}; null if not such. */
    String postUrl(String atUri) {
        if (!atUri.startsWith("at://")) {
            return null;
        }
        String[] parts = atUri.substring("at://".length()).split("/");
        if (parts.length != 3 || !POST_COLLECTION.equals(parts[1])) {
            return null;
        }
        return webUrl + "/profile/" + parts[0] + "/post/" + parts[2];
    }

    private static String reason(PublishResult result) {
        if (result instanceof PublishResult.Retryable r) {
            return r.reason();
        }
        if (result instanceof PublishResult.Rejected r) {
            return r.reason();
        }
        if (result instanceof PublishResult.UnknownOutcome r) {
            return r.reason();
        }
        if (result instanceof PublishResult.AuthExpired r) {
            return r.reason();
        }
        return result.toString();
    }

    private static String firstNonNull(String... values) {
        for (String v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }
}
