package dev.gazette.fediverse.delivery;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.gazette.fediverse.ActivityStreams;
import dev.gazette.fediverse.ActorKeys;
import dev.gazette.fediverse.Federation;
import dev.gazette.fediverse.PublicationActor;
import dev.gazette.fediverse.inbox.Outbound;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Replaces the publication's signing key: the old one is retired, a new one published in the actor at once and used
 * for everything signed from then on, and an {@code Update} of the actor, carrying the new {@code publicKey}, goes
 * to every follower's inbox (shared when it has one) through the {@code fediverse_outbox} ledger, so their servers
 * verify the next delivery without a failed check first. The key, the ledger rows and the retirement commit together;
 * the Updates are then sent on a thread of their own, and the outbox's retry job takes over what fails.
 */
@ApplicationScoped
public class KeyRotation {

    private static final String INBOXES = """
            select distinct coalesce(shared_inbox, inbox) from fediverse_follower order by 1""";

    /** A rotation done: the new key's name and how many inboxes its Update goes to. */
    public record Rotated(String keyName, int inboxes) {
    }

    private final EntityManager em;
    private final ActorKeys keys;
    private final PublicationActor actor;
    private final Federation federation;
    private final Outbound outbound;
    private final ObjectMapper json;
    private final ExecutorService senders = Executors.newFixedThreadPool(4, r -> {
        Thread thread = new Thread(r, "fediverse-key-update");
        thread.setDaemon(true);
        return thread;
    });

    KeyRotation(EntityManager em, ActorKeys keys, PublicationActor actor, Federation federation, Outbound outbound,
            ObjectMapper json) {
        this.em = em;
        this.keys = keys;
        this.actor = actor;
        this.federation = federation;
        this.outbound = outbound;
        this.json = json;
    }

    /** How many inboxes an Update would go to now; the confirmation page says it. */
    public int inboxes() {
        return QuarkusTransaction.joiningExisting().call(() -> em.createNativeQuery(INBOXES).getResultList().size());
    }

    /**
     * Rotates the key when {@code replacing} (the key the editor saw; any when null) is still current; empty when
     * another rotation (another editor, another node) replaced it first.
     */
    public Optional<Rotated> rotate(String editor, String replacing) {
        federation.requireEnabled();
        List<Long> rows = new ArrayList<>();
        ActorKeys.ActorKey rotated;
        try {
            rotated = QuarkusTransaction.requiringNew().call(() -> {
                // lost to another rotation: thrown, so whatever this one retired is rolled back
                ActorKeys.ActorKey key = keys.rotate(ActorKeys.PUBLICATION, replacing).orElseThrow(LostRace::new);
                String body = update(key);
                @SuppressWarnings("unchecked")
                List<String> inboxes = em.createNativeQuery(INBOXES).getResultList();
                for (String inbox : inboxes) {
                    rows.add(outbound.enqueue(inbox, body));
                }
                return key;
            });
        } catch (LostRace e) {
            return Optional.empty();
        }
        Log.infof("%s rotated the publication's key to %s; its Update goes to %d inbox(es)", editor,
                rotated.keyName(), rows.size());
        for (long row : rows) {
            senders.execute(() -> {
                try {
                    outbound.deliver(row);
                } catch (RuntimeException e) {
                    // the row stays in the ledger; the outbox's retry job sends it
                    Log.warnf(e, "The key Update %d could not be sent now", row);
                }
            });
        }
        return Optional.of(new Rotated(rotated.keyName(), rows.size()));
    }

    /** {@code Update} of the actor, the whole actor document embedded: Mastodon refreshes the key from it. */
    private String update(ActorKeys.ActorKey key) {
        Map<String, Object> document = new LinkedHashMap<>(actor.actor());
        Object context = document.remove("@context");
        Map<String, Object> update = new LinkedHashMap<>();
        update.put("@context", context);
        update.put("id", federation.actorId() + "#updates/" + key.keyName());
        update.put("type", "Update");
        update.put("actor", federation.actorId());
        update.put("to", List.of(ActivityStreams.PUBLIC));
        update.put("object", document);
        try {
            return json.writeValueAsString(update);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class LostRace extends RuntimeException {
        LostRace() {
            super("another rotation committed first", null, false, false);
        }
    }

    @PreDestroy
    void close() {
        senders.shutdownNow();
    }
}
