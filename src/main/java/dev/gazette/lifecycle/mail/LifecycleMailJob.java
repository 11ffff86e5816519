package dev.gazette.lifecycle.mail;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.persistence.EntityManager;

import dev.gazette.mail.MailService;
import dev.gazette.subscriber.Subscriber;
import dev.gazette.subscriber.SubscriberStatus;
import dev.gazette.subscriber.SuppressionService;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.mailer.Mail;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * Plans and sends lifecycle mail of every kind ({@link LifecycleFlow}: the welcome, the onboarding steps,
 * re-engagement). Planning is one statement per flow from the readers' state; a row is unique per message, reader and
 * occasion, so planning twice plans nothing more. Sending takes one due row at a time in a transaction that keeps it
 * locked (SKIP LOCKED) while the mail goes out: instances running together never send the same row, and a crash while
 * sending leaves the row due again, so a reader gets at most one copy more than once, the one in flight. The reader's
 * state (active, not paused) and the suppression list are checked again at send time; a row that no longer applies is
 * SKIPPED.
 */
@ApplicationScoped
public class LifecycleMailJob {

    static final int BATCH = 200;
    static final int MAX_ATTEMPTS = 6;

    private final Map<LifecycleMessage.Kind, LifecycleFlow> flows = new EnumMap<>(LifecycleMessage.Kind.class);
    private final MailService mail;
    private final SuppressionService suppressions;
    private final EntityManager em;
    private final Clock clock;
    private final MeterRegistry metrics;

    LifecycleMailJob(Instance<LifecycleFlow> flows, MailService mail, SuppressionService suppressions, EntityManager em,
            Clock clock, MeterRegistry metrics) {
        flows.forEach(f -> this.flows.put(f.kind(), f));
        this.mail = mail;
        this.suppressions = suppressions;
        this.em = em;
        this.clock = clock;
        this.metrics = metrics;
    }

    @Scheduled(identity = "lifecycle-mail", every = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        try {
            int planned = plan();
            int handled = sendDue();
            if (planned > 0 || handled > 0) {
                Log.infof("Lifecycle mail: %d planned, %d handled", planned, handled);
            }
        } catch (RuntimeException e) {
            Log.errorf(e, "Lifecycle mail failed; the next run retries");
        }
    }

    /** Plans every flow's due rows, each flow in its own transaction; returns how many rows were added. */
    public int plan() {
        int planned = 0;
        for (LifecycleFlow flow : flows.values()) {
            try {
                planned += QuarkusTransaction.requiringNew().call(() -> flow.plan(clock.instant()));
            } catch (RuntimeException e) {
                Log.errorf(e, "Planning %s mail failed; the next run retries", flow.kind());
            }
        }
        return planned;
    }

    /** Sends the due rows, {@link #BATCH} at most. */
    public int sendDue() {
        int handled = 0;
        while (handled < BATCH && QuarkusTransaction.requiringNew().call(this::sendNext)) {
            handled++;
        }
        return handled;
    }

    private boolean sendNext() {
        Instant now = clock.instant();
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                select l.id, l.message_id, l.subscriber_id, l.attempts, l.occasion, m.kind
                from lifecycle_mail l join lifecycle_message m on m.id = l.message_id
                where l.status in ('PENDING', 'RETRY') and l.due_at <= ?1
                order by l.due_at, l.id limit 1 for update of l skip locked""").setParameter(1, now).getResultList();
        if (rows.isEmpty()) {
            return false;
        }
        Object[] r = rows.get(0);
        LifecycleFlow.Row row = new LifecycleFlow.Row(((Number) r[0]).longValue(), ((Number) r[1]).longValue(),
                ((Number) r[2]).longValue(), ((Number) r[4]).intValue(), now);
        int attempts = ((Number) r[3]).intValue() + 1;
        LifecycleFlow flow = flows.get(LifecycleMessage.Kind.valueOf((String) r[5]));
        Subscriber reader = Subscriber.findById(row.readerId());
        String outcome;
        String error = null;
        try {
            // writing the message counts as an attempt too: a row that cannot be written ends FAILED instead of
            // staying the oldest due row and holding up everyone's mail
            Optional<Mail> message = Optional.empty();
            if (flow != null && reader != null && reader.status == SubscriberStatus.ACTIVE
                    && (reader.pausedUntil == null || !reader.pausedUntil.isAfter(now)) && !suppressions.isSuppressed(reader.emailKey)) {
                message = flow.compose(row, reader);
            }
            if (message.isEmpty()) {
                outcome = "SKIPPED";
            } else {
                mail.send(message.get(), flow.kind().name().toLowerCase(Locale.ROOT));
                flow.sent(row, reader);
                outcome = "SENT";
            }
        } catch (RuntimeException e) {
            error = Optional.ofNullable(e.getMessage()).orElse(e.getClass().getSimpleName());
            outcome = attempts >= MAX_ATTEMPTS ? "FAILED" : "RETRY";
            Log.warnf("Lifecycle mail %d (attempt %d) not sent: %s", row.id(), attempts, error);
        }
        // a minute, then twice as long each time
        Instant next = now.plus(Duration.ofMinutes(1L << Math.min(attempts - 1, 10)));
        em.createNativeQuery("""
                update lifecycle_mail set status = ?1, attempts = ?2, sent_at = ?3, last_error = ?4, due_at = ?5, updated_at = ?6
                where id = ?7""").setParameter(1, outcome).setParameter(2, attempts)
                .setParameter(3, "SENT".equals(outcome) ? now : null).setParameter(4, error == null ? null
                        : error.substring(0, Math.min(error.length(), 1000)))
                .setParameter(5, "RETRY".equals(outcome) ? next : now).setParameter(6, now).setParameter(7, row.id()).executeUpdate();
        metrics.counter("gazette_lifecycle_mail_total", "message", String.valueOf(r[5]).toLowerCase(Locale.ROOT),
                "outcome", outcome.toLowerCase(Locale.ROOT)).increment();
        return true;
    }
}
