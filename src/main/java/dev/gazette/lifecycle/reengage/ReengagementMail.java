package dev.gazette.lifecycle.reengage;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import dev.gazette.common.error.Problem;
import dev.gazette.common.error.ProblemException;
import dev.gazette.lifecycle.mail.LifecycleFlow;
import dev.gazette.lifecycle.mail.LifecycleMessage;
import dev.gazette.lifecycle.mail.LifecycleTexts;
import dev.gazette.subscriber.Subscriber;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.mailer.Mail;

/**
 * The re-engagement policy (site-wide, off until an editor switches it on) and its flow: readers without activity for
 * the inactive days get one "still want this?" mail with a signed "keep me subscribed" link; {@link SunsetJob}
 * unsubscribes those who do not answer within the grace days. Each round is a lifecycle mail row whose occasion
 * numbers the reader's rounds, so a reader active again after a round can be asked again when inactive again.
 */
@ApplicationScoped
public class ReengagementMail implements LifecycleFlow {

    static final int DEFAULT_INACTIVE_DAYS = 180;
    static final int DEFAULT_GRACE_DAYS = 14;
    static final int MIN_INACTIVE_DAYS = 30;
    static final int MAX_INACTIVE_DAYS = 1000;
    static final int MIN_GRACE_DAYS = 1;
    static final int MAX_GRACE_DAYS = 90;
    static final String DEFAULT_SUBJECT = "Still want {site}?";
    static final String DEFAULT_BODY = """
            Hello{#if name} {name}{/if},

            we have not seen you open a link from {site} in a while. Do you still want our newsletters?

            **[Yes, keep me subscribed]({keepUrl})**

            If we do not hear from you, we will stop writing to you in a few weeks. You can also unsubscribe now: {unsubscribeUrl}
            """;

    private static final String PLAN = """
            insert into lifecycle_mail (message_id, subscriber_id, occasion, status, due_at, created_at, updated_at)
            select :message, s.id, coalesce((select max(o.occasion) from lifecycle_mail o
                    where o.message_id = :message and o.subscriber_id = s.id), 0) + 1, 'PENDING', :now, :now, :now
            from subscriber s where""" + " " + Rounds.DUE + """

            on conflict (message_id, subscriber_id, occasion) do nothing""";

    /** The policy as saved or typed; the days are null when what was typed is not a number. */
    public record Policy(boolean enabled, Integer inactiveDays, Integer graceDays, String subject, String body) {
        LifecycleTexts.Text text() {
            return new LifecycleTexts.Text(subject, body);
        }
    }

    private final LifecycleTexts texts;
    private final KeepLinks links;
    private final EntityManager em;
    private final Clock clock;
    private final MeterRegistry metrics;

    ReengagementMail(LifecycleTexts texts, KeepLinks links, EntityManager em, Clock clock, MeterRegistry metrics) {
        this.texts = texts;
        this.links = links;
        this.em = em;
        this.clock = clock;
        this.metrics = metrics;
    }

    @Override
    public LifecycleMessage.Kind kind() {
        return LifecycleMessage.Kind.REENGAGE;
    }

    @Override
    public int plan(Instant now) {
        Optional<LifecycleMessage> m = LifecycleMessage.find(LifecycleMessage.Kind.REENGAGE).filter(x -> x.enabled);
        if (m.isEmpty()) {
            return 0;
        }
        return em.createNativeQuery(PLAN).setParameter("message", m.get().id).setParameter("now", now)
                .setParameter("cutoff", now.minus(Duration.ofDays(m.get().inactiveDays))).executeUpdate();
    }

    @Override
    public Optional<Mail> compose(Row row, Subscriber reader) {
        LifecycleMessage m = LifecycleMessage.findById(row.messageId());
        if (m == null || !m.enabled || !isRoundOpen(row)) {
            return Optional.empty();
        }
        LifecycleTexts.Rendered rendered = texts.render(new LifecycleTexts.Text(m.subject, m.bodyMarkdown), reader,
                Map.of("keepUrl", links.keepUrl(reader.id, row.occasion())), "");
        return Optional.of(texts.message(rendered, reader.email, reader.id, kind(), row.id()));
    }

    /** Still worth sending: not closed, and the reader was not active since it was planned. */
    private boolean isRoundOpen(Row row) {
        return ((Number) em.createNativeQuery("""
                select count(*) from lifecycle_mail l join subscriber s on s.id = l.subscriber_id
                where l.id = ?1 and l.outcome is null and greatest(s.last_active_at, s.confirmed_at, s.created_at) <= l.created_at""")
                .setParameter(1, row.id()).getSingleResult()).longValue() > 0;
    }

    @Override
    public void sent(Row row, Subscriber reader) {
        metrics.counter(ReengagementStats.METRIC, "outcome", "mailed").increment();
    }

    @Transactional
    public Policy policy() {
        return LifecycleMessage.find(LifecycleMessage.Kind.REENGAGE)
                .map(m -> new Policy(m.enabled, m.inactiveDays, m.graceDays, m.subject, m.bodyMarkdown))
                .orElse(new Policy(false, DEFAULT_INACTIVE_DAYS, DEFAULT_GRACE_DAYS, DEFAULT_SUBJECT, DEFAULT_BODY));
    }

    /**
     * Saves the policy; refused naming the field when a number is out of range or a template cannot be rendered.
     * Switching it off closes the rounds still waiting (nobody is unsubscribed for a mail of a policy switched off) and
     * leaves unsent mail unsent.
     */
    @Transactional
    public Policy save(Policy in) {
        Policy checked = check(in);
        Instant now = clock.instant();
        LifecycleMessage m = LifecycleMessage.find(LifecycleMessage.Kind.REENGAGE).orElseGet(() -> {
            LifecycleMessage created = new LifecycleMessage();
            created.kind = LifecycleMessage.Kind.REENGAGE;
            created.created(now);
            return created;
        });
        if (m.enabled && !checked.enabled()) {
            em.createNativeQuery("""
                    update lifecycle_mail set outcome = 'CANCELLED', closed_at = ?1, updated_at = ?1
                    where message_id = ?2 and outcome is null and status in ('PENDING', 'RETRY', 'SENT')""")
                    .setParameter(1, now).setParameter(2, m.id).executeUpdate();
        }
        if (checked.enabled() && !m.enabled) {
            m.enabledSince = now;
        }
        m.enabled = checked.enabled();
        m.inactiveDays = checked.inactiveDays();
        m.graceDays = checked.graceDays();
        m.subject = checked.subject();
        m.bodyMarkdown = checked.body();
        m.updatedAt = now;
        m.persist();
        return new Policy(m.enabled, m.inactiveDays, m.graceDays, m.subject, m.bodyMarkdown);
    }

    /** The policy as typed, stripped, or refused naming each bad field. */
    public Policy check(Policy in) {
        List<Problem.Violation> problems = new ArrayList<>();
        days(problems, "inactiveDays", in.inactiveDays(), MIN_INACTIVE_DAYS, MAX_INACTIVE_DAYS);
        days(problems, "graceDays", in.graceDays(), MIN_GRACE_DAYS, MAX_GRACE_DAYS);
        problems.addAll(texts.problems(in.text(), Map.of("keepUrl", links.keepUrl(0, 0))));
        if (!problems.isEmpty()) {
            throw new ProblemException(400, "Bad Request", "The re-engagement policy was not saved.", problems);
        }
        return new Policy(in.enabled(), in.inactiveDays(), in.graceDays(), in.subject().strip(), in.body().strip());
    }

    private static void days(List<Problem.Violation> problems, String field, Integer days, int min, int max) {
        if (days == null || days < min || days > max) {
            problems.add(new Problem.Violation(field, "must be a whole number of days from " + min + " to " + max));
        }
    }

    /** The message as the reader with this address (or the sample reader, Ana) would get it; empty for no such reader. */
    @Transactional
    public Optional<LifecycleTexts.Rendered> preview(Policy policy, String address) {
        return texts.reader(address).map(r -> render(policy, r));
    }

    /** Sends a test, as the reader with {@code address} (or the sample reader) would get it, to {@code to}. */
    @Transactional
    public boolean test(Policy policy, String address, String to) {
        Optional<Subscriber> reader = texts.reader(address);
        reader.ifPresent(r -> texts.sendTest(render(policy, r), r.id, kind(), to));
        return reader.isPresent();
    }

    private LifecycleTexts.Rendered render(Policy policy, Subscriber reader) {
        // occasion 0: a preview or test answers no round
        return texts.render(policy.text(), reader, Map.of("keepUrl", links.keepUrl(reader.id, 0)), "");
    }
}
