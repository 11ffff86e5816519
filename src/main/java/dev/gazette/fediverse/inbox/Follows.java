package dev.gazette.fediverse.inbox;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.gazette.fediverse.ActivityStreams;
import dev.gazette.fediverse.DomainBlocks;
import dev.gazette.fediverse.FediverseClient;
import dev.gazette.fediverse.Federation;
import dev.gazette.fediverse.Followers;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * {@code Follow} of the publication stores the follower and answers a signed {@code Accept}; {@code Undo} of that
 * follow removes it. A follow fetches the follower's actor when the key fetch did not bring it, and is refused (not
 * stored, not recorded, not answered) when the actor's inbox or shared inbox is not one a follower may have
 * ({@link FollowerInboxes}), or when the actor or either inbox is on a blocked domain. The Follow's id is recorded
 * only with the follower, so when the actor cannot be fetched the sender's retry of the same Follow is handled.
 */
@Singleton
class Follows {

    private final Federation federation;
    private final Followers followers;
    private final Outbound outbound;
    private final FediverseClient client;
    private final HandledActivities handled;
    private final DomainBlocks blocks;
    private final ObjectMapper json;
    private final Clock clock;

    Follows(Federation federation, Followers followers, Outbound outbound, FediverseClient client, HandledActivities handled,
            DomainBlocks blocks, ObjectMapper json, Clock clock) {
        this.federation = federation;
        this.followers = followers;
        this.outbound = outbound;
        this.client = client;
        this.handled = handled;
        this.blocks = blocks;
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
        JsonNode sharedNode = document.path("endpoints").path("sharedInbox");
        String inbox = FollowerInboxes.normalise(document.path("inbox").asText(null));
        String shared = sharedNode.isMissingNode() || sharedNode.isNull() ? null : FollowerInboxes.normalise(sharedNode.asText(""));
        String host = FollowerInboxes.hostOf(actor);
        if (!actor.equals(document.path("id").asText(null)) || inbox == null || shared == null && !sharedNode.isMissingNode()
                && !sharedNode.isNull() || host == null) {
            // refused as a bad actor is: not stored, not recorded, not answered
            Log.infof("Follow from %s dropped: its actor document has no usable id, inbox or shared inbox", actor);
            return;
        }
        String[] hosts = { host, FollowerInboxes.hostOf(inbox), FollowerInboxes.hostOf(shared) };
        Instant now = clock.instant();
        String accept = accept(activity);
        Long delivery = QuarkusTransaction.requiringNew().call(() -> {
            // checked again where the follower is stored: a block added while the actor was fetched wins, and one
            // on the server its inboxes are on counts as one on its own
            if (blocks.blocksAny(hosts)) {
                Log.infof("Follow from %s dropped: it or its inbox is on a blocked domain", actor);
                return null;
            }
            if (!handled.record(id)) {
                return null;
            }
            followers.store(actor, host, inbox, shared, id, now);
            return outbound.enqueue(inbox, accept);
        });
        if (delivery != null) {
            Log.infof("New fediverse follower on %s", URI.create(actor).getHost());
            outbound.deliver(delivery);
        }
    }

    /** Ends a follow: the one {@code followId} names, or any of the actor's when null. Joins the caller's transaction. */
    void undo(String actor, String followId) {
        followers.unfollow(actor, followId);
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
