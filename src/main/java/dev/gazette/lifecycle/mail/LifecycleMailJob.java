package dev.gazette.lifecycle.mail;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import dev.gazette.mail.MailService;
import dev.gazette.subscriber.Subscriber;
import dev.gazette.subscriber.SubscriberStatus;
import dev.gazette.subscriber.SuppressionService;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * Plans and sends lifecycle mail. Planning is one statement from the readers' state: every reader confirmed since the
 * welcome was switched on (not imported ones) gets a row, once (the row is unique per message and reader), so a
 * reader missed by one run, or confirmed while Gazette was down, is planned by the next. Sending takes one due row at
 * a time in a transaction that keeps it locked (SKIP LOCKED) while the mail goes out: instances running together
 * never send the same row, and a crash while sending leaves the row due again, so a reader gets at most one copy more
 * than once, the one in flight. The reader's state and the suppression list are checked again at send time.
 */
@ApplicationScoped
public class LifecycleMailJob {

    static final int BATCH = 200;
    static final int MAX_ATTEMPTS = 6;

    private static final String PLAN_WELCOMES = """
            insert into lifecycle_mail (message_id, subscriber_id, status, due_at, created_at, updated_at)
            select m.id, s.id, 'PENDING', :now, :now, :now
            from lifecycle_message m join subscriber s on s.confirmed_at >= m.enabled_since
            where m.kind = 'WELCOME' and m.enabled and s.status = 'ACTIVE' and s.consent_source <> 'IMPORT'
            on conflict (message_id, subscriber_id, occasion) do nothing""";

    private final WelcomeMail welcome;
    private final MailService mail;
    private final SuppressionService suppressions;
    private final EntityManager em;
    private final Clock clock;
    private final MeterRegistry metrics;

    LifecycleMailJob(WelcomeMail welcome, MailService mail, SuppressionService suppressions, EntityManager em, Clock clock,
            MeterRegistry metrics) {
        this.welcome = welcome;
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

    /** Plans the welcome of every reader who should get it and has no row yet. */
    public int plan() {
        return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(PLAN_WELCOMES)
                .setParameter("now", clock.instant()).executeUpdate());
    }

    /** Sends the due rows, {@link #BATCH} at most. */
    public int sendDue() {
        // read once per batch, not per reader: an edit made meanwhile applies from the next batch
        WelcomeMail.Settings settings = welcome.settings();
        int handled = 0;
        while (handled < BATCH && QuarkusTransaction.requiringNew().call(() -> sendNext(settings))) {
            handled++;
        }
        return handled;
    }

    private boolean sendNext(WelcomeMail.Settings settings) {
        Instant now = clock.instant();
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                select id, subscriber_id, attempts from lifecycle_mail
                where status in ('PENDING', 'RETRY') and due_at <= ?1
                order by due_at, id limit 1 for update skip locked""").setParameter(1, now).getResultList();
        if (rows.isEmpty()) {
            return false;
        }
        long id = ((Number) rows.get(0)[0]).longValue();
        long readerId = ((Number) rows.get(0)[1]).longValue();
        int attempts = ((Number) rows.get(0)[2]).intValue() + 1;
        Subscriber reader = Subscriber.findById(readerId);
        String outcome;
        String error = null;
        if (reader == null || reader.status != SubscriberStatus.ACTIVE || suppressions.isSuppressed(reader.emailKey)) {
            outcome = "SKIPPED";
        } else {
            try {
                mail.send(welcome.message(welcome.render(settings, reader), reader.email, reader.id, id), "welcome");
                outcome = "SENT";
            } catch (RuntimeException e) {
                error = Optional.ofNullable(e.getMessage()).orElse(e.getClass().getSimpleName());
                outcome = attempts >= MAX_ATTEMPTS ? "FAILED" : "RETRY";
                Log.warnf("Welcome mail %d (attempt %d) not sent: %s", id, attempts, error);
            }
        }
        // a minute, then twice as long each time
        Instant next = now.plus(Duration.ofMinutes(1L << Math.min(attempts - 1, 10)));
        em.createNativeQuery("""
                update lifecycle_mail set status = ?1, attempts = ?2, sent_at = ?3, last_error = ?4, due_at = ?5, updated_at = ?6
                where id = ?7""").setParameter(1, outcome).setParameter(2, attempts)
                .setParameter(3, "SENT".equals(outcome) ? now : null).setParameter(4, error == null ? null
                        : error.substring(0, Math.min(error.length(), 1000)))
                .setParameter(5, "RETRY".equals(outcome) ? next : now).setParameter(6, now).setParameter(7, id).executeUpdate();
        metrics.counter("gazette_lifecycle_mail_total", "message", "welcome", "outcome", outcome.toLowerCase(Locale.ROOT)).increment();
        return true;
    }
}
