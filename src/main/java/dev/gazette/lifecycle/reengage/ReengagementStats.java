package dev.gazette.lifecycle.reengage;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import dev.gazette.digest.Newsletter;

/**
 * The numbers of re-engagement, for the editor's page and the newsletter analytics: rounds mailed and how they ended,
 * readers the policy would mail now, and whether clicks can be measured at all.
 */
@ApplicationScoped
public class ReengagementStats {

    /** Prometheus counter, outcome mailed, kept or unsubscribed. */
    static final String METRIC = "gazette_reengagement_total";

    /**
     * Rounds mailed; answered "keep"; unsubscribed as inactive; mailed and still waiting for an answer (neither kept
     * nor clicked since); mailed and clicked since without answering (they stay).
     */
    public record Summary(long mailed, long kept, long unsubscribed, long waiting, long activeAgain) {
    }

    private final EntityManager em;
    private final Clock clock;

    ReengagementStats(EntityManager em, Clock clock) {
        this.em = em;
        this.clock = clock;
    }

    @Transactional
    public Summary summary() {
        Object[] r = (Object[]) em.createNativeQuery("""
                select count(*) filter (where l.status = 'SENT'),
                       count(*) filter (where l.outcome = 'KEPT'),
                       count(*) filter (where l.outcome = 'UNSUBSCRIBED'),
                       count(*) filter (where l.status = 'SENT' and l.outcome is null and s.status = 'ACTIVE'
                           and greatest(s.last_active_at, s.confirmed_at, s.created_at) <= l.sent_at),
                       count(*) filter (where l.status = 'SENT' and l.outcome is null and s.status = 'ACTIVE'
                           and greatest(s.last_active_at, s.confirmed_at, s.created_at) > l.sent_at)
                from lifecycle_mail l join lifecycle_message m on m.id = l.message_id
                join subscriber s on s.id = l.subscriber_id
                where m.kind = 'REENGAGE'""").getSingleResult();
        return new Summary(n(r[0]), n(r[1]), n(r[2]), n(r[3]), n(r[4]));
    }

    /** How many readers a policy of {@code inactiveDays} would mail if it ran now (readers in an open round excepted). */
    @Transactional
    public long wouldTouch(int inactiveDays) {
        Instant now = clock.instant();
        return n(em.createNativeQuery("select count(*) from subscriber s where " + Rounds.DUE)
                .setParameter("now", now).setParameter("cutoff", now.minus(Duration.ofDays(inactiveDays))).getSingleResult());
    }

    /** Active newsletters whose digest links are not tracked: clicks in them cannot count as activity. */
    @Transactional
    public long newslettersWithoutTracking() {
        return Newsletter.count("active = true and trackLinks = false");
    }

    private static long n(Object o) {
        return ((Number) o).longValue();
    }
}
