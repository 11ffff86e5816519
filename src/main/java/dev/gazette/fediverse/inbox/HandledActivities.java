package dev.gazette.fediverse.inbox;

import java.time.Clock;
import java.time.Instant;

import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The ids of the activities already handled ({@code fediverse_inbox_activity}). An id is recorded in the transaction
 * that applies its activity, so a replay, or a second delivery by a retrying sender, does nothing.
 */
@Singleton
class HandledActivities {

    private static final String RECORD = "insert into fediverse_inbox_activity (activity_id, received_at) values (:id, :now)"
            + " on conflict do nothing";

    private final EntityManager em;
    private final Clock clock;

    HandledActivities(EntityManager em, Clock clock) {
        this.em = em;
        this.clock = clock;
    }

    boolean seen(String activityId) {
        return QuarkusTransaction.joiningExisting().call(() -> !em.createNativeQuery(
                "select 1 from fediverse_inbox_activity where activity_id = :id").setParameter("id", activityId)
                .getResultList().isEmpty());
    }

    /** Records an id in the caller's transaction; false when it was already there. */
    boolean record(String activityId) {
        Instant now = clock.instant();
        return em.createNativeQuery(RECORD).setParameter("id", activityId).setParameter("now", now).executeUpdate() > 0;
    }

    /** Runs {@code action} in a new transaction unless the activity id was already handled. */
    void once(String activityId, Runnable action) {
        QuarkusTransaction.requiringNew().run(() -> {
            if (record(activityId)) {
                action.run();
            }
        });
    }
}
