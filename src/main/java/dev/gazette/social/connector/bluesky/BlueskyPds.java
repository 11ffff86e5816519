package dev.gazette.social.connector.bluesky;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import dev.gazette.common.Text;
import dev.gazette.social.spi.ChannelAccess;
import dev.gazette.social.spi.PublishResult;
import dev.gazette.social.spi.SessionStore;
import dev.gazette.social.spi.SocialHttp;

/**
 * One channel's PDS and its session, for the duration of one call to the connector. The session (access and refresh
 * token) lives in the channel's session store and is reused: createSession is rate-limited hard (30 per 5 minutes, a
 * few hundred a day), so it is called only when there is no session or neither token works any more. Renewals of one
 * channel's session are serialised by its lock, so that two publishes never log in twice.
 */
final class BlueskyPds {
    private final ChannelAccess channel;
    private final String base;
    private final Duration refreshMargin;
    private final SocialHttp http;
    private final Object lock;

    BlueskyPds(ChannelAccess channel, String defaultPds, Duration refreshMargin, SocialHttp http, Object lock) throws Xrpc.Stop {
        this.channel = channel;
        this.refreshMargin = refreshMargin;
        this.http = http;
        this.lock = lock;
        String url = channel.baseUrl() == null || channel.baseUrl().isBlank() ? defaultPds : channel.baseUrl();
        this.base = Text.withoutTrailingSlash(url);
        try {
            URI.create(base + Xrpc.CREATE_SESSION);
        } catch (IllegalArgumentException e) {
            throw new Xrpc.Stop(new PublishResult.Rejected("Not a valid PDS URL: " + url));
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
        return lock;
    }

    private Optional<BlueskySession> load() {
        return store().load().flatMap(BlueskySession::parse);
    }

    private Instant now() {
        return http.clock().instant();
    }

    /** The stored session, renewed first if its access token expires within the margin; else a new login. */
    BlueskySession session() throws Xrpc.Stop {
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
    BlueskySession renew(BlueskySession stale) throws Xrpc.Stop {
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
    private Optional<BlueskySession> refresh(BlueskySession stale) throws Xrpc.Stop {
        SocialHttp.Response response;
        try {
            response = http.send(request(Xrpc.REFRESH_SESSION)
                    .header("Authorization", "Bearer " + stale.refreshJwt())
                    .POST(HttpRequest.BodyPublishers.noBody()));
        } catch (SocialHttp.NotSent e) {
            throw new Xrpc.Stop(Xrpc.notSent(e));
        } catch (SocialHttp.OutcomeUnknown e) {
            throw new Xrpc.Stop(new PublishResult.Retryable(null, false, e.getMessage()));
        }
        if (response.ok()) {
            Optional<BlueskySession> fresh = BlueskySession.fromJson(response.json())
                    .map(s -> new BlueskySession(s.did().isEmpty() ? stale.did() : s.did(),
                            s.handle().isEmpty() ? stale.handle() : s.handle(), s.accessJwt(), s.refreshJwt()));
            fresh.ifPresent(s -> store().save(s.toJson()));
            return fresh;
        }
        if (response.status() == 429) {
            throw new Xrpc.Stop(Xrpc.rateLimited(response, now()));
        }
        if (response.status() >= 500) {
            throw new Xrpc.Stop(new PublishResult.Retryable(null, false, Xrpc.message(response)));
        }
        return Optional.empty();
    }

    /** createSession with the app password; the channel's credentials refused end in AuthExpired. */
    private BlueskySession login() throws Xrpc.Stop {
        String identifier;
        String password;
        try {
            identifier = channel.credential("identifier").trim();
            password = channel.credential("appPassword").trim();
        } catch (IllegalStateException e) {
            throw new Xrpc.Stop(new PublishResult.AuthExpired(e.getMessage()));
        }
        SocialHttp.Response response;
        try {
            response = http.send(request(Xrpc.CREATE_SESSION)
                    .header("Content-Type", "application/json")
                    .POST(Xrpc.json(SocialHttp.json().createObjectNode()
                            .put("identifier", identifier)
                            .put("password", password))));
        } catch (SocialHttp.NotSent e) {
            throw new Xrpc.Stop(Xrpc.notSent(e));
        } catch (SocialHttp.OutcomeUnknown e) {
            throw new Xrpc.Stop(new PublishResult.Retryable(null, false, e.getMessage()));
        }
        if (response.ok()) {
            BlueskySession session = BlueskySession.fromJson(response.json()).orElseThrow(() -> new Xrpc.Stop(
                    new PublishResult.Retryable(null, false, "createSession answered without tokens")));
            store().save(session.toJson());
            return session;
        }
        if (response.status() == 429) {
            throw new Xrpc.Stop(Xrpc.rateLimited(response, now()));
        }
        if (response.status() >= 500) {
            throw new Xrpc.Stop(new PublishResult.Retryable(null, false, Xrpc.message(response)));
        }
        store().clear();
        throw new Xrpc.Stop(new PublishResult.AuthExpired(Xrpc.message(response)));
    }
}
