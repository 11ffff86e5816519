package dev.gazette.fediverse.inbox;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.gazette.fediverse.ActivityStreams;
import dev.gazette.fediverse.FediverseClient;
import dev.gazette.fediverse.Federation;
import dev.gazette.fediverse.Followers;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * {@code Follow} of the publication stores the follower and answers a signed {@code Accept}; {@code Undo} of that
 * follow removes it. A follow fetches the follower's actor when the key fetch did not bring it. The Follow's id is
 * recorded only with the follower, so when the actor cannot be fetched the sender's retry of the same Follow is
 * handled.
 */
@Singleton
class Follows {

    private final Federation federation;
    private final Followers followers;
    private final Outbound outbound;
    private final FediverseClient client;
    private final HandledActivities handled;
    private final EntityManager em;
    private final ObjectMapper json;
    private final Clock clock;

    Follows(Federation federation, Followers followers, Outbound outbound, FediverseClient client, HandledActivities handled,
            EntityManager em, ObjectMapper json, Clock clock) {
        this.federation = federation;
        this.followers = followers;
        this.outbound = outbound;
        this.client = client;
        this.handled = handled;
        this.em = em;
        this.json = json;
        this.clock = clock;
    }

    void follow(JsonNode activity, String id, String actor, JsonNode actorDocument) {
        if (!federation.actorId().equals(Inbox.idOf(activity.path("object")))) {
            handled.once(id, () -> { }); // a follow of someone else: not ours to answer
            return;
        }
        JsonNode document = actorDocument;
        if (document == null) {
            FediverseClient.Fetched fetched = client.get(URI.create(actor));
            if (!(fetched instanceof FediverseClient.Fetched.Found found)) {
                // not recorded: the sender retries, and then the actor may be reachable
                Log.infof("Follow from %s dropped: its actor could not be fetched (%s)", actor, fetched);
                return;
            }
            document = found.document();
        }
        String inbox = document.path("inbox").asText(null);
        String shared = document.path("endpoints").path("sharedInbox").asText(null);
        if (!actor.equals(document.path("id").asText(null)) || !httpUrl(inbox) || shared != null && !httpUrl(shared)) {
            Log.infof("Follow from %s dropped: its actor document has no usable id or inbox", actor);
            return;
        }
        Instant now = clock.instant();
        String accept = accept(activity);
        Long delivery = QuarkusTransaction.requiringNew().call(() -> {
            if (!handled.record(id)) {
                return null;
            }
            followers.store(actor, inbox, shared, id, now);
            return outbound.enqueue(inbox, accept);
        });
        if (delivery != null) {
            Log.infof("New fediverse follower on %s", URI.create(actor).getHost());
            outbound.deliver(delivery);
        }
    }

    /** Ends a follow: the one {@code followId} names, or any of the actor's when null. Joins the caller's transaction. */
    void undo(String actor, String followId) {
        // by the follow's id when it has one: an Undo of an older follow does not end a newer one
        em.createNativeQuery("delete from fediverse_follower where actor_id = :actor"
                + " and (:follow = '' or follow_activity_id = :follow)")
                .setParameter("actor", actor).setParameter("follow", followId == null ? "" : followId).executeUpdate();
        if (followId != null && followId.length() <= 2000 && sameHost(followId, actor)) {
            // the undone Follow counts as handled: when it arrives late (the sender's follow and unfollow handled out of
            // order by the two workers), it does not make a follower of someone who left. Only an id on the sender's own
            // server: an Undo naming another server's id would otherwise make that server's real Follow be ignored
            handled.record(followId);
        }
    }

    private String accept(JsonNode follow) {
        Map<String, Object> accept = new LinkedHashMap<>();
        accept.put("@context", ActivityStreams.NAMESPACE);
        accept.put("id", federation.actorId() + "#accepts/" + UUID.randomUUID());
        accept.put("type", "Accept");
        accept.put("actor", federation.actorId());
        accept.put("object", follow);
        try {
            return json.writeValueAsString(accept);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether two URLs are on the same host (compared case-insensitively); false when either is not a URL. */
    static boolean sameHost(String a, String b) {
        try {
            String x = URI.create(a).getHost();
            return x != null && x.equalsIgnoreCase(URI.create(b).getHost());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static boolean httpUrl(String url) {
        if (url == null) {
            return false;
        }
        try {
            URI uri = URI.create(url);
            return uri.getHost() != null && ("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
