package dev.gazette.fediverse;

import java.time.Instant;

import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The publication's followers on other servers ({@code fediverse_follower}): stored when their {@code Follow} is
 * accepted, removed by {@code Undo} or a {@code Delete} of their actor. Only their number is public.
 */
@Singleton
public class Followers {

    private static final String UPSERT = """
            insert into fediverse_follower (actor_id, inbox, shared_inbox, host, follow_activity_id, accepted_at, created_at)
            values (:actor, :inbox, :shared, :host, :follow, :now, :now)
            on conflict (actor_id) do update set inbox = excluded.inbox, shared_inbox = excluded.shared_inbox,
                follow_activity_id = excluded.follow_activity_id, accepted_at = excluded.accepted_at
            returning id""";

    private final EntityManager em;

    Followers(EntityManager em) {
        this.em = em;
    }

    /**
     * Stores (or refreshes) a follower; returns its row id. {@code host} is its actor's host, normalised as domain
     * blocks compare it (lower case, punycode, IPv6 canonical). Joins the caller's transaction.
     */
    public long store(String actorId, String host, String inbox, String sharedInbox, String followId, Instant now) {
        return QuarkusTransaction.joiningExisting().call(() -> ((Number) em.createNativeQuery(UPSERT)
                .setParameter("actor", actorId).setParameter("inbox", inbox).setParameter("shared", sharedInbox)
                .setParameter("host", host).setParameter("follow", followId).setParameter("now", now)
                .getSingleResult()).longValue());
    }

    /**
     * Ends a follow: the one {@code followId} names, or any of the actor's when it is null (an Undo of an older follow
     * does not end a newer one). Joins the caller's transaction.
     */
    public void unfollow(String actorId, String followId) {
        QuarkusTransaction.joiningExisting().run(() -> em.createNativeQuery(
                "delete from fediverse_follower where actor_id = :actor and (:follow = '' or follow_activity_id = :follow)")
                .setParameter("actor", actorId).setParameter("follow", followId == null ? "" : followId).executeUpdate());
    }

    /** Removes a follower; returns whether there was one. */
    public boolean remove(String actorId) {
        return QuarkusTransaction.joiningExisting().call(() -> em.createNativeQuery(
                "delete from fediverse_follower where actor_id = :actor").setParameter("actor", actorId).executeUpdate() > 0);
    }

    public long count() {
        return QuarkusTransaction.joiningExisting().call(() -> ((Number) em.createNativeQuery(
                "select count(*) from fediverse_follower").getSingleResult()).longValue());
    }
}
