package dev.gazette.social.connector.bluesky;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.gazette.social.Network;
import dev.gazette.social.spi.ChannelAccess;
import dev.gazette.social.spi.Connector;
import dev.gazette.social.spi.CredentialField;
import dev.gazette.social.spi.Graphemes;
import dev.gazette.social.spi.LinkCard;
import dev.gazette.social.spi.Post;
import dev.gazette.social.spi.PublishResult;
import dev.gazette.social.spi.RateLimits;
import dev.gazette.social.spi.SessionStore;
import dev.gazette.social.spi.SocialHttp;
import dev.gazette.social.spi.TextRules;
import dev.gazette.social.spi.Verification;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Posts to Bluesky through the channel's PDS with an app password. The session (access and refresh token) is kept in
 * the channel's session store and reused: createSession is rate-limited hard (30 per 5 minutes, a few hundred a day),
 * so it is called only when there is no session or neither token works any more. An access token the PDS calls
 * expired is refreshed (the refresh token rotates) and the refused call, which created nothing, is made once more.
 * <p>
 * The post carries its own rich text (a link facet, so the link is clickable, and tag facets) and its own link card
 * ({@code app.bsky.embed.external}), with the lead image uploaded as a blob: Bluesky builds neither itself.
 * Bluesky does not refuse duplicate text, so a repeated post is not detected by the network.
 */
@Singleton
public class BlueskyConnector implements Connector {

    static final String CREATE_SESSION = "/xrpc/com.atproto.server.createSession";
    static final String REFRESH_SESSION = "/xrpc/com.atproto.server.refreshSession";
    static final String GET_SESSION = "/xrpc/com.atproto.server.getSession";
    static final String UPLOAD_BLOB = "/xrpc/com.atproto.repo.uploadBlob";
    static final String CREATE_RECORD = "/xrpc/com.atproto.repo.createRecord";
    static final String POST_COLLECTION = "app.bsky.feed.post";

    /** Bluesky's text limit in graphemes, and the byte cap the PDS adds to it. */
    static final int MAX_GRAPHEMES = 300;
    static final int MAX_TEXT_BYTES = 3000;

    /** The createdAt format: ISO 8601 in UTC with milliseconds, as Bluesky's own clients write it. */
    static final DateTimeFormatter CREATED_AT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    /** Error names with which a PDS says the bearer token no longer works (400 or 401). */
    private static final Set<String> TOKEN_ERRORS = Set.of("ExpiredToken", "InvalidToken");
    /** Error names that mean the account itself cannot post: an editor must look at the channel. */
    private static final Set<String> ACCOUNT_ERRORS = Set.of("AccountTakedown", "AccountDeactivated",
            "AccountSuspended");

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
        this.defaultPds = stripSlash(defaultPds);
        this.webUrl = stripSlash(webUrl);
        this.refreshMargin = refreshMargin;
        this.http = http;
        this.thumbnails = new Thumbnails(http, maxThumbBytes);
    }

    @Override
    public Network network() {
        return Network.BLUESKY;
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
            Pds pds = new Pds(channel);
            SocialHttp.Response response = authorized(pds,
                    session -> pds.request(GET_SESSION, session).GET());
            if (response.ok()) {
                JsonNode body = response.json();
                String handle = body.path("handle").asText("");
                return Verification.ok(handle.isEmpty() ? body.path("did").asText("") : handle);
            }
            if (tokenRefused(response) || accountGone(response)) {
                return Verification.refused(message(response));
            }
            return Verification.failed(message(response));
        } catch (Stop stop) {
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
            Pds pds = new Pds(channel);
            ObjectNode record = record(post);
            ObjectNode embed = embed(pds, post);
            if (embed != null) {
                record.set("embed", embed);
            }
            SocialHttp.Response response;
            try {
                response = authorized(pds, session -> pds.request(CREATE_RECORD, session)
                        .header("Content-Type", "application/json")
                        .POST(json(SocialHttp.json().createObjectNode()
                                .put("repo", session.did())
                                .put("collection", POST_COLLECTION)
                                .set("record", record))));
            } catch (SocialHttp.NotSent e) {
                return notSent(e);
            } catch (SocialHttp.OutcomeUnknown e) {
                return new PublishResult.UnknownOutcome(e.getMessage());
            }
            if (response.ok()) {
                String uri = response.json().path("uri").asText("");
                return uri.isEmpty() ? new PublishResult.Published(response.json().path("cid").asText(null), null)
                        : new PublishResult.Published(uri, postUrl(uri));
            }
            return failure(pds, response);
        } catch (Stop stop) {
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
    private ObjectNode embed(Pds pds, Post post) throws Stop {
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
    private JsonNode upload(Pds pds, Thumbnails.Image image) throws Stop {
        SocialHttp.Response response;
        try {
            response = authorized(pds, session -> pds.request(UPLOAD_BLOB, session)
                    .header("Content-Type", image.contentType())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(image.bytes())));
        } catch (SocialHttp.NotSent e) {
            throw new Stop(notSent(e));
        } catch (SocialHttp.OutcomeUnknown e) {
            throw new Stop(new PublishResult.Retryable(null, false, e.getMessage()));
        }
        if (response.ok()) {
            JsonNode blob = response.json().path("blob");
            return blob.isObject() ? blob : null;
        }
        if (response.status() == 429 || response.status() >= 500 || tokenRefused(response)
                || accountGone(response)) {
            throw new Stop(failure(pds, response));
        }
        return null;
    }

    /**
     * Makes a call with the session's access token; when the PDS refuses the token, renews the session (refresh,
     * else a new login) and makes the call once more. The refused call created nothing, so repeating it is safe.
     */
    private SocialHttp.Response authorized(Pds pds, Function<BlueskySession, HttpRequest.Builder> request)
            throws Stop, SocialHttp.NotSent, SocialHttp.OutcomeUnknown {
        BlueskySession session = pds.session();
        SocialHttp.Response response = http.send(request.apply(session));
        if (!tokenRefused(response)) {
            return response;
        }
        return http.send(request.apply(pds.renew(session)));
    }

    /** Maps a non-2xx answer of a call made with a fresh session to its outcome. */
    private PublishResult failure(Pds pds, SocialHttp.Response response) {
        if (response.status() == 429) {
            return rateLimited(response);
        }
        if (tokenRefused(response) || accountGone(response)) {
            pds.store().clear(); // a token refused right after renewal: start from a new login next time
            return new PublishResult.AuthExpired(message(response));
        }
        if (response.status() >= 500) {
            return new PublishResult.Retryable(null, false, message(response));
        }
        return new PublishResult.Rejected(message(response));
    }

    /** A 429: the PDS gives the end of the window as epoch seconds in {@code RateLimit-Reset}. */
    private PublishResult rateLimited(SocialHttp.Response response) {
        Instant now = http.clock().instant();
        Instant notBefore = RateLimits.epochSeconds(response, "RateLimit-Reset")
                .or(() -> RateLimits.retryAfter(response, now))
                .orElse(null);
        return new PublishResult.Retryable(notBefore, true, message(response));
    }

    private static PublishResult notSent(SocialHttp.NotSent e) {
        return e.permanent() ? new PublishResult.Rejected(e.getMessage())
                : new PublishResult.Retryable(null, false, e.getMessage());
    }

    /** Whether the PDS refused the bearer token: any 401, or a 400 naming an expired or invalid token. */
    static boolean tokenRefused(SocialHttp.Response response) {
        return response.status() == 401
                || (response.status() == 400 && TOKEN_ERRORS.contains(response.json().path("error").asText("")));
    }

    private static boolean accountGone(SocialHttp.Response response) {
        return response.status() >= 400 && response.status() < 500
                && ACCOUNT_ERRORS.contains(response.json().path("error").asText(""));
    }

    /** The PDS's own words: XRPC errors are {@code {"error": name, "message": text}}. */
    static String message(SocialHttp.Response response) {
        JsonNode body = response.json();
        String message = body.path("message").asText("");
        if (!message.isBlank()) {
            return message;
        }
        String error = body.path("error").asText("");
        return error.isBlank() ? "HTTP " + response.status() : error;
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

    private static HttpRequest.BodyPublisher json(JsonNode body) {
        return HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8);
    }

    private static String firstNonNull(String... values) {
        for (String v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private static String stripSlash(String url) {
        String u = url == null ? "" : url.trim();
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        return u;
    }

    /** Ends an attempt early with its outcome (a failed login, refresh or upload). */
    private static final class Stop extends Exception {
        final PublishResult result;

        Stop(PublishResult result) {
            super(null, null, false, false);
            this.result = result;
        }
    }

    /** One channel's PDS and session, for the duration of one call to the connector. */
    private final class Pds {
        private final ChannelAccess channel;
        private final String base;

        Pds(ChannelAccess channel) throws Stop {
            this.channel = channel;
            String url = channel.baseUrl() == null || channel.baseUrl().isBlank() ? defaultPds : channel.baseUrl();
            this.base = stripSlash(url);
            try {
                URI.create(base + CREATE_SESSION);
            } catch (IllegalArgumentException e) {
                throw new Stop(new PublishResult.Rejected("Not a valid PDS URL: " + url));
            }
        }

        SessionStore store() {
            return channel.sessions();
        }

        HttpRequest.Builder request(String path) {
            return HttpRequest.newBuilder(URI.create(base + path)).header("Accept", "application/json");
        }

        HttpRequest.Builder request(String path, BlueskySession session) {
            return request(path).header("Authorization", "Bearer " + session.accessJwt());
        }

        private Object lock() {
            return sessionLocks.computeIfAbsent(channel.channelId(), id -> new Object());
        }

        private Optional<BlueskySession> load() {
            return store().load().flatMap(BlueskySession::parse);
        }

        private Instant now() {
            return http.clock().instant();
        }

        /** The stored session, renewed first if its access token expires within the margin; else a new login. */
        BlueskySession session() throws Stop {
            Optional<BlueskySession> stored = load();
            if (stored.isPresent()) {
                BlueskySession session = stored.get();
                return session.accessValidAt(now().plus(refreshMargin)) ? session : renew(session);
            }
            synchronized (lock()) {
                Optional<BlueskySession> meanwhile = load(); // another publish may have logged in
                return meanwhile.isPresent() ? meanwhile.get() : login();
            }
        }

        /** A session to replace one whose access token was refused or is about to expire. */
        BlueskySession renew(BlueskySession stale) throws Stop {
            synchronized (lock()) {
                Optional<BlueskySession> current = load();
                if (current.isPresent() && !current.get().accessJwt().equals(stale.accessJwt())
                        && current.get().accessValidAt(now().plus(refreshMargin))) {
                    return current.get(); // renewed by another publish meanwhile
                }
                if (stale.refreshValidAt(now())) {
                    Optional<BlueskySession> refreshed = refresh(stale);
                    if (refreshed.isPresent()) {
                        return refreshed.get();
                    }
                }
                return login();
            }
        }

        /** refreshSession with the refresh token; empty when the PDS refuses it (then a new login follows). */
        private Optional<BlueskySession> refresh(BlueskySession stale) throws Stop {
            SocialHttp.Response response;
            try {
                response = http.send(request(REFRESH_SESSION)
                        .header("Authorization", "Bearer " + stale.refreshJwt())
                        .POST(HttpRequest.BodyPublishers.noBody()));
            } catch (SocialHttp.NotSent e) {
                throw new Stop(notSent(e));
            } catch (SocialHttp.OutcomeUnknown e) {
                throw new Stop(new PublishResult.Retryable(null, false, e.getMessage()));
            }
            if (response.ok()) {
                Optional<BlueskySession> fresh = BlueskySession.fromJson(response.json())
                        .map(s -> new BlueskySession(s.did().isEmpty() ? stale.did() : s.did(),
                                s.handle().isEmpty() ? stale.handle() : s.handle(), s.accessJwt(), s.refreshJwt()));
                fresh.ifPresent(s -> store().save(s.toJson()));
                return fresh;
            }
            if (response.status() == 429) {
                throw new Stop(rateLimited(response));
            }
            if (response.status() >= 500) {
                throw new Stop(new PublishResult.Retryable(null, false, message(response)));
            }
            return Optional.empty();
        }

        /** createSession with the app password; the channel's credentials refused end in AuthExpired. */
        private BlueskySession login() throws Stop {
            String identifier;
            String password;
            try {
                identifier = channel.credential("identifier").trim();
                password = channel.credential("appPassword").trim();
            } catch (IllegalStateException e) {
                throw new Stop(new PublishResult.AuthExpired(e.getMessage()));
            }
            SocialHttp.Response response;
            try {
                response = http.send(request(CREATE_SESSION)
                        .header("Content-Type", "application/json")
                        .POST(json(SocialHttp.json().createObjectNode()
                                .put("identifier", identifier)
                                .put("password", password))));
            } catch (SocialHttp.NotSent e) {
                throw new Stop(notSent(e));
            } catch (SocialHttp.OutcomeUnknown e) {
                throw new Stop(new PublishResult.Retryable(null, false, e.getMessage()));
            }
            if (response.ok()) {
                BlueskySession session = BlueskySession.fromJson(response.json()).orElseThrow(() -> new Stop(
                        new PublishResult.Retryable(null, false, "createSession answered without tokens")));
                store().save(session.toJson());
                return session;
            }
            if (response.status() == 429) {
                throw new Stop(rateLimited(response));
            }
            if (response.status() >= 500) {
                throw new Stop(new PublishResult.Retryable(null, false, message(response)));
            }
            store().clear();
            throw new Stop(new PublishResult.AuthExpired(message(response)));
        }
    }
}
