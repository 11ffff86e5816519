package dev.gazette.fediverse.inbox;

import java.net.URI;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;

import com.fasterxml.jackson.databind.JsonNode;

import dev.gazette.fediverse.ActorKeys;
import dev.gazette.fediverse.FediverseClient;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Remote actors' public keys, cached in {@code fediverse_remote_key} and fetched with a signed GET when unknown or when
 * a signature stops verifying (the remote may have rotated its key). A key is trusted for an actor only when its
 * document, its owner and its id are on one origin: otherwise any server could publish a key naming someone else's
 * actor as owner and sign in their name.
 */
@Singleton
public class RemoteKeys {

    /**
     * A remote actor's key; {@code document} is the fetched document when it is the owner's actor document;
     * {@code previous} the key it replaced at {@code rotatedAt} (when this server fetched the new one), or null.
     */
    public record RemoteKey(String keyId, String owner, PublicKey key, Instant fetchedAt, JsonNode actorDocument,
            PublicKey previous, Instant rotatedAt) {

        RemoteKey(String keyId, String owner, PublicKey key, Instant fetchedAt, JsonNode actorDocument) {
            this(keyId, owner, key, fetchedAt, actorDocument, null, null);
        }

        RemoteKey withPrevious(PublicKey previousKey, Instant rotated) {
            return new RemoteKey(keyId, owner, key, fetchedAt, actorDocument, previousKey, rotated);
        }
    }

    /** A key fetch that gave no usable key. */
    public static final class Unusable extends Exception {
        private final boolean gone;

        Unusable(String message, boolean gone) {
            super(message, null, false, false);
            this.gone = gone;
        }

        /** The remote answered 404 or 410 for it. */
        public boolean gone() {
            return gone;
        }
    }

    // a different key than the one cached is a rotation: the old one is kept as previous, and when it was replaced
    private static final String UPSERT = """
            insert into fediverse_remote_key as k (key_id, owner_actor_id, public_key_pem, fetched_at)
            values (:keyId, :owner, :pem, :now)
            on conflict (key_id) do update set owner_actor_id = excluded.owner_actor_id,
                previous_public_key_pem = case when k.public_key_pem <> excluded.public_key_pem then k.public_key_pem
                    else k.previous_public_key_pem end,
                rotated_at = case when k.public_key_pem <> excluded.public_key_pem then excluded.fetched_at else k.rotated_at end,
                public_key_pem = excluded.public_key_pem, fetched_at = excluded.fetched_at
            returning previous_public_key_pem, rotated_at""";

    private final EntityManager em;
    private final FediverseClient client;
    private final Clock clock;
    /** Key fetches under way, by key id: a burst of activities signed with one unknown key fetches it once. */
    private final ConcurrentHashMap<String, CompletableFuture<RemoteKey>> inFlight = new ConcurrentHashMap<>();

    RemoteKeys(EntityManager em, FediverseClient client, Clock clock) {
        this.em = em;
        this.client = client;
        this.clock = clock;
    }

    public Optional<RemoteKey> cached(String keyId) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery(
                    "select owner_actor_id, public_key_pem, fetched_at, previous_public_key_pem, rotated_at"
                    + " from fediverse_remote_key where key_id = :keyId").setParameter("keyId", keyId).getResultList();
            if (rows.isEmpty()) {
                return Optional.empty();
            }
            Object[] r = rows.get(0);
            return Optional.of(new RemoteKey(keyId, (String) r[0], ActorKeys.publicKey((String) r[1]), instant(r[2]), null,
                    r[3] == null ? null : ActorKeys.publicKey((String) r[3]), r[4] == null ? null : instant(r[4])));
        });
    }

    /**
     * A key fetched at {@code since} or later: the cached one when a fetch since then stored it (another activity of the
     * same burst needed it first), else fetched, sharing a fetch already under way for the same key id. Never call it
     * on a request thread.
     */
    public RemoteKey fetchSince(String keyId, Instant since) throws Unusable {
        Optional<RemoteKey> cached = cached(keyId);
        if (cached.isPresent() && !cached.get().fetchedAt().isBefore(since)) {
            return cached.get();
        }
        CompletableFuture<RemoteKey> mine = new CompletableFuture<>();
        CompletableFuture<RemoteKey> running = inFlight.putIfAbsent(keyId, mine);
        if (running != null) {
            return await(running);
        }
        try {
            RemoteKey key = fetch(keyId);
            mine.complete(key);
            return key;
        } catch (Unusable | RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(keyId, mine);
        }
    }

    private static RemoteKey await(CompletableFuture<RemoteKey> running) throws Unusable {
        try {
            return running.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unusable("interrupted while its key was fetched", false);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Unusable unusable) {
                throw unusable;
            }
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /** Fetches a key with a signed GET, checks it and caches it. Never call it on a request thread. */
    public RemoteKey fetch(String keyId) throws Unusable {
        URI uri;
        try {
            uri = URI.create(keyId);
        } catch (IllegalArgumentException e) {
            throw new Unusable("the key id is not a URL", false);
        }
        if (uri.getHost() == null || !("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()))) {
            throw new Unusable("the key id is not an http(s) URL", false);
        }
        FediverseClient.Fetched fetched = client.get(uri);
        if (fetched instanceof FediverseClient.Fetched.Gone gone) {
            throw new Unusable("the key " + keyId + " is gone (HTTP " + gone.status() + ")", true);
        }
        if (fetched instanceof FediverseClient.Fetched.Failed failed) {
            throw new Unusable("the key " + keyId + " could not be fetched: " + failed.reason(), false);
        }
        JsonNode document = ((FediverseClient.Fetched.Found) fetched).document();
        // the document must be the one at the URL fetched: a file someone put elsewhere on that server cannot pose as
        // another document of it
        String fetchedUrl = withoutFragment(keyId);
        if (!fetchedUrl.equals(withoutFragment(document.path("id").asText("")))) {
            throw new Unusable("the document at " + fetchedUrl + " does not have that id", false);
        }
        RemoteKey read = read(keyId, document);
        RemoteKey key = read.actorDocument() != null ? read : confirmedByOwner(read);
        Object[] stored = QuarkusTransaction.requiringNew().call(() -> (Object[]) em.createNativeQuery(UPSERT)
                .setParameter("keyId", keyId).setParameter("owner", key.owner()).setParameter("pem", ActorKeys.pem(key.key()))
                .setParameter("now", key.fetchedAt()).getSingleResult());
        return stored[0] == null ? key : key.withPrevious(ActorKeys.publicKey((String) stored[0]), instant(stored[1]));
    }

    /**
     * A key in a document of its own names its owner; the owner's document must list it too, or anyone able to put a
     * file on that server could name any of its actors as the owner of their key.
     */
    private RemoteKey confirmedByOwner(RemoteKey key) throws Unusable {
        FediverseClient.Fetched fetched = client.get(URI.create(key.owner()));
        if (!(fetched instanceof FediverseClient.Fetched.Found found) || !key.owner().equals(found.document().path("id").asText(null))) {
            throw new Unusable("the owner " + key.owner() + " of the key " + key.keyId() + " could not be confirmed", false);
        }
        JsonNode keys = found.document().path("publicKey");
        for (JsonNode k : keys.isArray() ? keys : List.of(keys)) {
            if (k.isObject() && key.keyId().equals(k.path("id").asText(null))) {
                return new RemoteKey(key.keyId(), key.owner(), key.key(), key.fetchedAt(), found.document());
            }
        }
        throw new Unusable("the owner " + key.owner() + " does not list the key " + key.keyId(), false);
    }

    private static String withoutFragment(String url) {
        int hash = url.indexOf('#');
        return hash < 0 ? url : url.substring(0, hash);
    }

    /** Forgets an actor's keys (its actor was deleted). Joins the caller's transaction. */
    public void forget(String owner) {
        QuarkusTransaction.joiningExisting().run(() -> em.createNativeQuery(
                "delete from fediverse_remote_key where owner_actor_id = :owner").setParameter("owner", owner).executeUpdate());
    }

    /**
     * The key named {@code keyId} in a fetched document: an actor with {@code publicKey} (an object or a list), or a
     * key document with {@code owner} and {@code publicKeyPem}.
     */
    RemoteKey read(String keyId, JsonNode document) throws Unusable {
        JsonNode candidate = null;
        JsonNode keys = document.path("publicKey");
        for (JsonNode k : keys.isArray() ? keys : List.of(keys)) {
            if (k.isObject() && keyId.equals(k.path("id").asText(null))) {
                candidate = k;
            }
        }
        boolean actorDocument = candidate != null;
        if (candidate == null && keyId.equals(document.path("id").asText(null)) && document.has("publicKeyPem")) {
            candidate = document;
        }
        if (candidate == null) {
            throw new Unusable("the document at " + keyId + " does not contain that key", false);
        }
        String owner = candidate.path("owner").asText(actorDocument ? document.path("id").asText(null) : null);
        String pem = candidate.path("publicKeyPem").asText(null);
        if (owner == null || pem == null) {
            throw new Unusable("the key " + keyId + " has no owner or no publicKeyPem", false);
        }
        if (!sameOrigin(keyId, owner) || actorDocument && !sameOrigin(keyId, document.path("id").asText(""))) {
            throw new Unusable("the key " + keyId + " names an owner on another server (" + owner + ")", false);
        }
        PublicKey key;
        try {
            key = ActorKeys.publicKey(pem);
        } catch (IllegalArgumentException e) {
            throw new Unusable("the key " + keyId + " is not an RSA public key", false);
        }
        JsonNode actor = actorDocument && owner.equals(document.path("id").asText(null)) ? document : null;
        return new RemoteKey(keyId, owner, key, clock.instant(), actor);
    }

    /** Whether two URLs have one scheme, host and port. */
    static boolean sameOrigin(String a, String b) {
        try {
            URI x = URI.create(a);
            URI y = URI.create(b);
            return x.getScheme() != null && x.getHost() != null
                    && x.getScheme().equalsIgnoreCase(Objects.requireNonNullElse(y.getScheme(), ""))
                    && x.getHost().toLowerCase(Locale.ROOT).equals(y.getHost() == null ? null : y.getHost().toLowerCase(Locale.ROOT))
                    && x.getPort() == y.getPort();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static Instant instant(Object value) {
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        return ((java.sql.Timestamp) value).toInstant();
    }
}
