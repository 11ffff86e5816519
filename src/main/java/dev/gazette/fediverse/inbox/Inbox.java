package dev.gazette.fediverse.inbox;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.gazette.common.error.ProblemException;
import dev.gazette.fediverse.DomainBlocks;
import dev.gazette.fediverse.Federation;
import dev.gazette.fediverse.FediverseConfig;
import dev.gazette.fediverse.signature.CavageSignatures;
import dev.gazette.fediverse.signature.HttpMessage;
import dev.gazette.fediverse.signature.MessageSignatures;
import dev.gazette.fediverse.signature.Verification;
import io.quarkus.logging.Log;

/**
 * The publication's inboxes ({@code /ap/actor/inbox} and the shared {@code /ap/inbox}): what is checked on the request
 * thread and what is left to the background. On the request: the type, the 1 MB cap, JSON, a signature (RFC 9421 when
 * {@code Signature-Input} is present, draft-cavage otherwise) and, when the sender's key is cached, the signature
 * itself, with the key's owner equal to the activity's {@code actor}. A key not cached yet is fetched in the background
 * and the activity discarded if it does not verify: the request is answered 202 either way and never waits on another
 * server. A failed check answers 401 and stores nothing; an actor or key on a blocked domain is answered 403 before its
 * key is even looked up.
 */
@Singleton
public class Inbox {

    public static final int MAX_BODY = 1024 * 1024;
    /** A signature that does not match a key fetched longer ago than this makes the key be fetched again (rotation). */
    static final Duration REFETCH_AFTER = Duration.ofMinutes(10);
    // the verifiers' words for a bad signature, as opposed to a bad date, digest or coverage
    private static final String MISMATCH = "the signature does not match";

    private final Federation federation;
    private final RemoteKeys keys;
    private final Activities activities;
    private final PendingActivities pending;
    private final DomainBlocks blocks;
    private final FediverseConfig config;
    private final ObjectMapper json;
    private final Clock clock;

    Inbox(Federation federation, RemoteKeys keys, Activities activities, PendingActivities pending, DomainBlocks blocks,
            FediverseConfig config, ObjectMapper json, Clock clock) {
        this.federation = federation;
        this.blocks = blocks;
        this.keys = keys;
        this.activities = activities;
        this.pending = pending;
        this.config = config;
        this.json = json;
        this.clock = clock;
    }

    /** A received activity and how it was signed. */
    private record Received(HttpMessage message, JsonNode activity, String id, String actor, String keyId, boolean rfc9421) {
    }

    /**
     * Takes a POST to an inbox: returns when it is accepted (to be answered 202), throws a {@link ProblemException}
     * when it is refused.
     */
    public void receive(boolean shared, Map<String, List<String>> headers, InputStream body) {
        federation.requireEnabled();
        Received received = read(shared, headers, body);
        if (blocked(received)) {
            // before the key is looked up or fetched: a blocked server makes this one do nothing
            throw new ProblemException(403, "Forbidden", "This publication does not take activities from "
                    + URI.create(received.actor()).getHost() + ": nothing was stored.");
        }
        if (activities.seen(received.id())) {
            return;
        }
        Optional<RemoteKeys.RemoteKey> cached = keys.cached(received.keyId());
        if (cached.isEmpty()) {
            if ("Delete".equals(received.activity().path("type").asText())
                    && received.actor().equals(idOf(received.activity().path("object")))) {
                return; // the actor is gone, and with it the key: nothing to fetch, nothing of ours to remove
            }
            queue("verify " + received.id(), () -> fetchAndHandle(received), received.message().body().length);
            return;
        }
        RemoteKeys.RemoteKey key = cached.get();
        if (!key.owner().equals(received.actor())) {
            throw refused("the key " + received.keyId() + " belongs to " + key.owner() + ", not to the activity's actor");
        }
        Verification verification = verify(received, key.key());
        if (verification instanceof Verification.Refused refusal) {
            if (MISMATCH.equals(refusal.reason()) && key.fetchedAt().plus(REFETCH_AFTER).isBefore(clock.instant())) {
                queue("verify " + received.id() + " with a refetched key", () -> fetchAndHandle(received),
                        received.message().body().length);
                return;
            }
            throw refused(refusal.reason());
        }
        queue("handle " + received.id(), () -> {
            if (!blocked(received)) {
                activities.handle(received.activity(), received.actor(), null);
            }
        }, received.message().body().length);
    }

    /** Whether the activity's actor or its key is on a blocked domain (the block may be newer than the request). */
    private boolean blocked(Received received) {
        return blocks.blocks(URI.create(received.actor()).getHost()) || blocks.blocks(host(received.keyId()));
    }

    private static String host(String url) {
        try {
            return new URI(url).getHost();
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }

    private void fetchAndHandle(Received received) {
        if (blocked(received)) {
            Log.infof("Fediverse activity %s discarded: its server was blocked", received.id());
            return;
        }
        RemoteKeys.RemoteKey key;
        try {
            key = keys.fetch(received.keyId());
        } catch (RemoteKeys.Unusable e) {
            Log.infof("Fediverse activity %s discarded: %s", received.id(), e.getMessage());
            return;
        }
        if (!key.owner().equals(received.actor())) {
            Log.infof("Fediverse activity %s discarded: its key belongs to %s, not to its actor", received.id(), key.owner());
            return;
        }
        Verification verification = verify(received, key.key());
        if (verification instanceof Verification.Refused refusal) {
            Log.infof("Fediverse activity %s discarded: %s", received.id(), refusal.reason());
            return;
        }
        activities.handle(received.activity(), received.actor(), key.actorDocument());
    }

    private Verification verify(Received received, PublicKey key) {
        return received.rfc9421()
                ? MessageSignatures.verify(received.message(), null, key, clock.instant(), config.signatureWindow())
                : CavageSignatures.verify(received.message(), key, clock.instant(), config.signatureWindow());
    }

    private void queue(String what, Runnable work, long size) {
        if (!pending.submit(what, work, size)) {
            throw new ProblemException(503, "Service Unavailable",
                    "Too many activities are waiting to be verified: nothing was stored, send it again later.");
        }
    }

    private Received read(boolean shared, Map<String, List<String>> headers, InputStream body) {
        String type = Optional.ofNullable(header(headers, "content-type")).orElse("").split(";")[0].strip()
                .toLowerCase(Locale.ROOT);
        if (!type.equals("application/activity+json") && !type.equals("application/ld+json")) {
            throw new ProblemException(415, "Unsupported Media Type",
                    "Send an activity as application/activity+json or application/ld+json.");
        }
        // what the sender signed is the public address, whatever a reverse proxy in between made of it
        URI target = URI.create(shared ? federation.sharedInbox() : federation.inbox());
        // the Host the signature covers is ours too: a delivery signed for another server does not verify here
        HttpMessage message = new HttpMessage("POST", target, headers, readBody(headers, body))
                .withHeader("host", HttpMessage.authority(target));
        JsonNode activity;
        try {
            activity = json.readTree(message.body());
        } catch (IOException e) {
            throw ProblemException.invalid("body", "is not valid JSON");
        }
        if (activity == null || !activity.isObject()) {
            throw ProblemException.invalid("body", "must be a JSON object (an activity)");
        }
        String id = activity.path("id").isTextual() ? activity.path("id").asText() : null;
        if (id == null || id.isBlank() || id.length() > 2000) {
            throw ProblemException.invalid("id", "an activity needs an id (a URL) of at most 2000 characters");
        }
        if (!activity.path("type").isTextual()) {
            throw ProblemException.invalid("type", "an activity needs a type");
        }
        String actor = idOf(activity.path("actor"));
        if (actor == null || actor.length() > 2000 || !httpUrl(actor)) {
            throw ProblemException.invalid("actor", "an activity needs its actor's id (an http(s) URL)");
        }
        if (!httpUrl(id) || !URI.create(id).getHost().equalsIgnoreCase(URI.create(actor).getHost())) {
            // another server's activity ids cannot be claimed (and so made to be ignored) by a server with a valid key
            throw ProblemException.invalid("id", "an activity's id must be a URL on its actor's server");
        }
        boolean rfc9421 = message.header("signature-input") != null;
        String keyId = rfc9421 ? MessageSignatures.parse(message, null).map(MessageSignatures.Parsed::keyId).orElse(null)
                : CavageSignatures.parse(message).map(CavageSignatures.Parsed::keyId).orElse(null);
        if (keyId == null || keyId.length() > 2000) {
            throw refused("the request has no well-formed HTTP signature");
        }
        return new Received(message, activity, id, actor, keyId, rfc9421);
    }

    private static String header(Map<String, List<String>> headers, String name) {
        for (var header : headers.entrySet()) {
            if (header.getKey().equalsIgnoreCase(name) && !header.getValue().isEmpty()) {
                return header.getValue().get(0);
            }
        }
        return null;
    }

    private static byte[] readBody(Map<String, List<String>> headers, InputStream body) {
        String length = header(headers, "content-length");
        if (length != null) {
            long declared;
            try {
                declared = Long.parseLong(length.strip());
            } catch (NumberFormatException e) {
                throw ProblemException.invalid("Content-Length", "is not a number");
            }
            if (declared > MAX_BODY) {
                throw tooLarge();
            }
        }
        try {
            byte[] bytes = body == null ? new byte[0] : body.readNBytes(MAX_BODY + 1);
            if (bytes.length > MAX_BODY) {
                throw tooLarge();
            }
            return bytes;
        } catch (IOException e) {
            throw ProblemException.invalid("body", "could not be read");
        }
    }

    private static ProblemException tooLarge() {
        return new ProblemException(413, "Content Too Large", "An activity may be at most 1 MB: nothing was stored.");
    }

    private static ProblemException refused(String reason) {
        return new ProblemException(401, "Unauthorized", "The HTTP signature was not accepted (" + reason
                + "): nothing was stored.");
    }

    private static boolean httpUrl(String url) {
        try {
            URI uri = new URI(url);
            return uri.getHost() != null && ("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()));
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    /** The id of an ActivityStreams reference: a string, or an object's {@code id}; null otherwise. */
    static String idOf(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isTextual()) {
            return node.asText();
        }
        return node.isObject() && node.path("id").isTextual() ? node.path("id").asText() : null;
    }
}
