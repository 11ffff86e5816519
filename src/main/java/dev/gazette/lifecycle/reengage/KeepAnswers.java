package dev.gazette.lifecycle.reengage;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import dev.gazette.common.SignedTokens;
import dev.gazette.subscriber.SubscriberEvent;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * A reader's answer "keep me subscribed" to a re-engagement mail: it counts as activity (last_active_at), closes the
 * round it answers, and is recorded in the reader's history. Answering twice changes nothing more.
 */
@ApplicationScoped
public class KeepAnswers {

    /** What a keep link found. */
    public enum State {
        /** A genuine link of an active reader. */
        VALID,
        /** Malformed, cut or forged. */
        INVALID,
        /** Genuine, but too old. */
        EXPIRED,
        /** No such reader any more (erased). */
        GONE,
        /** The reader is no longer subscribed (left, was unsubscribed as inactive, bounced...). */
        NOT_SUBSCRIBED
    }

    private final KeepLinks links;
    private final EntityManager em;
    private final Clock clock;
    private final MeterRegistry metrics;

    KeepAnswers(KeepLinks links, EntityManager em, Clock clock, MeterRegistry metrics) {
        this.links = links;
        this.em = em;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** What the link is, without using it (the page a GET shows). */
    @Transactional
    public State check(String token) {
        SignedTokens.Check check = links.check(token);
        if (!(check instanceof SignedTokens.Valid valid)) {
            return check instanceof SignedTokens.Expired ? State.EXPIRED : State.INVALID;
        }
        return readerState(valid.subject(), false);
    }

    /** Records the answer: the reader is active now and the round is closed as KEPT. */
    @Transactional
    public State keep(String token) {
        SignedTokens.Check check = links.check(token);
        if (!(check instanceof SignedTokens.Valid valid)) {
            return check instanceof SignedTokens.Expired ? State.EXPIRED : State.INVALID;
        }
        long reader = valid.subject();
        int occasion = (int) valid.nonce();
        Instant now = clock.instant();
        // the round first, then the reader: the order SunsetJob locks them in
        @SuppressWarnings("unchecked")
        List<Number> round = em.createNativeQuery("""
                select l.id from lifecycle_mail l join lifecycle_message m on m.id = l.message_id
                where m.kind = 'REENGAGE' and l.subscriber_id = ?1 and l.occasion = ?2 and l.outcome is null
                for update of l""").setParameter(1, reader).setParameter(2, occasion).getResultList();
        State state = readerState(reader, true);
        if (state != State.VALID) {
            return state;
        }
        em.createNativeQuery("""
                update subscriber set last_active_at = greatest(coalesce(last_active_at, ?1), ?1), updated_at = ?1
                where id = ?2""").setParameter(1, now).setParameter(2, reader).executeUpdate();
        if (!round.isEmpty()) {
            em.createNativeQuery("update lifecycle_mail set outcome = 'KEPT', closed_at = ?1, updated_at = ?1 where id = ?2")
                    .setParameter(1, now).setParameter(2, round.get(0).longValue()).executeUpdate();
            SubscriberEvent.record(reader, "KEPT", "answered the re-engagement mail (round " + occasion + ")", now);
            metrics.counter(ReengagementStats.METRIC, "outcome", "kept").increment();
        }
        return State.VALID;
    }

    private State readerState(long reader, boolean lock) {
        @SuppressWarnings("unchecked")
        List<String> status = em.createNativeQuery("select status from subscriber where id = ?1" + (lock ? " for update" : ""))
                .setParameter(1, reader).getResultList();
        if (status.isEmpty()) {
            return State.GONE;
        }
        return "ACTIVE".equals(status.get(0)) ? State.VALID : State.NOT_SUBSCRIBED;
    }
}
