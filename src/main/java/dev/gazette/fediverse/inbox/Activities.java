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
 * What a verified activity does: {@code Follow} of the publication stores the follower and answers a signed
 * {@code Accept}; {@code Undo} of that follow and {@code Delete} of the follower's actor remove it; {@code Like} and
 * {@code Announce} of an article are counted; anything else is ignored. Each activity id is handled once: it is
 * recorded in the transaction that applies it, so a replay, or a second delivery by a retrying sender, does nothing.
 * Runs on the inbox's background worker, never on a request thread (a follow fetches the follower's actor).
 */
@Singleton
public class Activities {

    private static final String SEEN = "insert into fediverse_inbox_activity (activity_id, received_at) values (:id, :now)"
            + " on conflict do nothing";
    private static final String REACTION = """
            insert into fediverse_reaction (article_id, likes, announces)
            select a.id, :like, :announce from article a where a.slug = :slug and a.status = 'PUBLISHED'
            on conflict (article_id) do update set likes = fediverse_reaction.likes + excluded.likes,
                announces = fediverse_reaction.announces + excluded.announces""";

    private final Federation federation;
    private final Followers followers;
    private final RemoteKeys keys;
    private final Outbound outbound;
    private final FediverseClient client;
    private final EntityManager em;
    private final ObjectMapper json;
    private final Clock clock;

    Activities(Federation federation, Followers followers, RemoteKeys keys, Outbound outbound, FediverseClient client,
            EntityManager em, ObjectMapper json, Clock clock) {
        this.federation = federation;
        this.followers = followers;
        this.keys = keys;
        this.outbound = outbound;
        this.client = client;
        this.em = em;
        this.json = json;
        this.clock = clock;
    }

    /** Whether an activity id was already handled. */
    public boolean seen(String activityId) {
        return QuarkusTransaction.joiningExisting().call(() -> !em.createNativeQuery(
                "select 1 from fediverse_inbox_activity where activity_id = :id").setParameter("id", activityId)
                .getResultList().isEmpty());
    }

    /**
     * Applies a verified activity from {@code actor}.
     *
     * @param actorDocument the actor's document when the key fetch already brought it, or null
     */
    public void handle(JsonNode activity, String actor, JsonNode actorDocument) {
        String id = activity.path("id").asText();
        String type = activity.path("type").asText();
        switch (type) {
            case "Follow" -> follow(activity, id, actor, actorDocument);
            case "Undo" -> once(id, () -> undo(activity.path("object"), actor));
            case "Delete" -> once(id, () -> {
                if (actor.equals(Inbox.idOf(activity.path("object")))) {
                    followers.remove(actor);
                    keys.forget(actor);
                }
            });
            case "Like", "Announce" -> once(id, () -> react(type, Inbox.idOf(activity.path("object"))));
            default -> once(id, () -> { });
        }
    }

    private void follow(JsonNode activity, String id, String actor, JsonNode actorDocument) {
        if (!federation.actorId().equals(Inbox.idOf(activity.path("object")))) {
            once(id, () -> { }); // a follow of someone else: not ours to answer
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
            if (em.createNativeQuery(SEEN).setParameter("id", id).setParameter("now", now).executeUpdate() == 0) {
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

    private void undo(JsonNode object, String actor) {
        if (object.isObject() && (!"Follow".equals(object.path("type").asText())
                || !actor.equals(Inbox.idOf(object.path("actor"))))) {
            return; // an Undo of a Like or Announce: the counts are kept
        }
        String followId = Inbox.idOf(object);
        // by the follow's id when it has one: an Undo of an older follow does not end a newer one
        em.createNativeQuery("delete from fediverse_follower where actor_id = :actor"
                + " and (:follow = '' or follow_activity_id = :follow)")
                .setParameter("actor", actor).setParameter("follow", followId == null ? "" : followId).executeUpdate();
        if (followId != null && followId.length() <= 2000) {
            // the undone Follow counts as handled: when it arrives late (the sender's follow and unfollow handled out of
            // order by the two workers), it does not make a follower of someone who left
            em.createNativeQuery(SEEN).setParameter("id", followId).setParameter("now", clock.instant()).executeUpdate();
        }
    }

    private void react(String type, String object) {
        String prefix = federation.baseUrl() + "/articles/";
        if (object == null || !object.startsWith(prefix)) {
            return;
        }
        String slug = object.substring(prefix.length());
        em.createNativeQuery(REACTION).setParameter("like", type.equals("Like") ? 1 : 0)
                .setParameter("announce", type.equals("Announce") ? 1 : 0).setParameter("slug", slug).executeUpdate();
    }

    /** Runs {@code action} in a new transaction unless the activity id was already handled. */
    private void once(String id, Runnable action) {
        Instant now = clock.instant();
        QuarkusTransaction.requiringNew().run(() -> {
            if (em.createNativeQuery(SEEN).setParameter("id", id).setParameter("now", now).executeUpdate() > 0) {
                action.run();
            }
        });
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

    private static boolean httpUrl(String url) {
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
