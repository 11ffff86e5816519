package dev.gazette.lifecycle.reengage;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import dev.gazette.lifecycle.mail.LifecycleMessage;
import dev.gazette.subscriber.SubscriptionService;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * Sunsetting: unsubscribes, with the reason INACTIVE, readers whose re-engagement mail went out at least the grace days
 * ago and who were not active since (no "keep", no counted click). Each reader is one transaction that locks the round
 * and the reader, checks both again and closes the round with the unsubscribe, so a crash, a second instance or a
 * reader answering at the same moment never unsubscribes a reader who answered, nor anyone twice. A reader who paused
 * gets the grace days again from the end of the pause (pausing shows they want the mail, just not now).
 */
@ApplicationScoped
public class SunsetJob {

    static final int BATCH = 500;

    private static final String WAITING = """
            select l.id from lifecycle_mail l join subscriber s on s.id = l.subscriber_id
            where l.message_id = :message and l.status = 'SENT' and l.outcome is null
            and greatest(l.sent_at, s.paused_until) <= :cutoff and s.status = 'ACTIVE'
            and greatest(s.last_active_at, s.confirmed_at, s.created_at) <= l.sent_at
            and (s.paused_until is null or s.paused_until <= :now)""";

    private final SubscriptionService subscriptions;
    private final EntityManager em;
    private final Clock clock;
    private final MeterRegistry metrics;

    SunsetJob(SubscriptionService subscriptions, EntityManager em, Clock clock, MeterRegistry metrics) {
        this.subscriptions = subscriptions;
        this.em = em;
        this.clock = clock;
        this.metrics = metrics;
    }

    @Scheduled(identity = "reengagement-sunset", every = "${gazette.reengagement.sunset-interval:10m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            int done = run();
            if (done > 0) {
                Log.infof("Sunsetting: %d inactive readers unsubscribed", done);
            }
        } catch (RuntimeException e) {
            Log.errorf(e, "Sunsetting failed; the next run retries");
        }
    }

    /** Unsubscribes the readers now due, {@link #BATCH} at most; returns how many. */
    public int run() {
        Instant now = clock.instant();
        LifecycleMessage m = QuarkusTransaction.requiringNew().call(() -> LifecycleMessage.find(LifecycleMessage.Kind.REENGAGE)
                .filter(x -> x.enabled).orElse(null));
        if (m == null) {
            return 0;
        }
        Instant cutoff = now.minus(Duration.ofDays(m.graceDays));
        @SuppressWarnings("unchecked")
        List<Number> rounds = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(WAITING + " order by l.sent_at limit "
                + BATCH).setParameter("message", m.id).setParameter("cutoff", cutoff).setParameter("now", now).getResultList());
        int done = 0;
        for (Number round : rounds) {
            try {
                if (QuarkusTransaction.requiringNew().call(() -> sunset(round.longValue(), m.id, cutoff, now))) {
                    done++;
                    metrics.counter(ReengagementStats.METRIC, "outcome", "unsubscribed").increment();
                }
            } catch (RuntimeException e) {
                Log.errorf(e, "Sunsetting round %d failed; the next run retries", round.longValue());
            }
        }
        return done;
    }

    private boolean sunset(long round, long message, Instant cutoff, Instant now) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                select l.subscriber_id, l.sent_at from lifecycle_mail l where l.id = :round and l.message_id = :message
                and l.status = 'SENT' and l.outcome is null and l.sent_at <= :cutoff for update skip locked""")
                .setParameter("round", round).setParameter("message", message).setParameter("cutoff", cutoff).getResultList();
        if (rows.isEmpty()) {
            return false;
        }
        long reader = ((Number) rows.get(0)[0]).longValue();
        Instant sent = instant(rows.get(0)[1]);
        // locked, so a click or an answer committed a moment ago is seen
        long stillWaiting = ((Number) em.createNativeQuery("""
                select count(*) from (select 1 from subscriber s where s.id = :reader and s.status = 'ACTIVE'
                and greatest(s.last_active_at, s.confirmed_at, s.created_at) <= :sent
                and (s.paused_until is null or s.paused_until <= :now) and greatest(cast(:sent as timestamptz), s.paused_until) <= :cutoff
                for update) x""").setParameter("reader", reader).setParameter("sent", sent).setParameter("now", now)
                .setParameter("cutoff", cutoff)
                .getSingleResult()).longValue();
        if (stillWaiting == 0) {
            return false;
        }
        LocalDate day = sent.atZone(ZoneOffset.UTC).toLocalDate();
        if (!subscriptions.unsubscribeInactive(reader, "no answer to the re-engagement mail of " + day)) {
            return false;
        }
        em.createNativeQuery("update lifecycle_mail set outcome = 'UNSUBSCRIBED', closed_at = ?1, updated_at = ?1 where id = ?2")
                .setParameter(1, now).setParameter(2, round).executeUpdate();
        return true;
    }

    private static Instant instant(Object value) {
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof java.time.OffsetDateTime o) {
            return o.toInstant();
        }
        return ((java.sql.Timestamp) value).toInstant();
    }
}
