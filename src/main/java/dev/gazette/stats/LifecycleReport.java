package dev.gazette.stats;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import dev.gazette.lifecycle.mail.LifecycleMessage;
import dev.gazette.lifecycle.mail.OnboardingSteps;
import dev.gazette.lifecycle.reengage.ReengagementStats;

/**
 * What lifecycle mail did, site-wide: the welcome's and re-engagement's ledger rows by outcome, each onboarding
 * step's progress (reached, sent, clicked), and what readers did with the re-engagement mail.
 */
@ApplicationScoped
public class LifecycleReport {

    /** A message kind's rows by outcome: planned in all, sent, still on their way, skipped, failed. */
    public record Outcomes(long planned, long sent, long waiting, long skipped, long failed) {
        static final Outcomes NONE = new Outcomes(0, 0, 0, 0, 0);
    }

    /** One onboarding step. */
    public record StepRow(long id, int day, String subject, boolean enabled, long reached, long sent, long waiting, long skipped,
            long failed, long clicked) {
    }

    /**
     * The whole report; {@code reengagementRounds}: what readers did with the re-engagement mail (kept, unsubscribed
     * as inactive, active again, still waiting).
     */
    public record Report(Outcomes welcome, List<StepRow> steps, Outcomes reengagement, ReengagementStats.Summary reengagementRounds) {
    }

    private final OnboardingSteps steps;
    private final ReengagementStats reengagement;
    private final EntityManager em;

    LifecycleReport(OnboardingSteps steps, ReengagementStats reengagement, EntityManager em) {
        this.steps = steps;
        this.reengagement = reengagement;
        this.em = em;
    }

    @Transactional
    public Report report() {
        Map<LifecycleMessage.Kind, Outcomes> outcomes = outcomes();
        List<StepRow> rows = steps.list().stream().map(s -> new StepRow(s.id(), s.delayDays(), s.subject(), s.enabled(),
                s.progress().reached(), s.progress().sent(), s.progress().waiting(), s.progress().skipped(), s.progress().failed(),
                s.progress().clicked())).toList();
        return new Report(outcomes.getOrDefault(LifecycleMessage.Kind.WELCOME, Outcomes.NONE), rows,
                outcomes.getOrDefault(LifecycleMessage.Kind.REENGAGE, Outcomes.NONE), reengagement.summary());
    }

    private Map<LifecycleMessage.Kind, Outcomes> outcomes() {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                select m.kind, count(*), count(*) filter (where l.status = 'SENT'),
                       count(*) filter (where l.status in ('PENDING', 'RETRY')), count(*) filter (where l.status = 'SKIPPED'),
                       count(*) filter (where l.status = 'FAILED')
                from lifecycle_mail l join lifecycle_message m on m.id = l.message_id group by m.kind""").getResultList();
        Map<LifecycleMessage.Kind, Outcomes> map = new EnumMap<>(LifecycleMessage.Kind.class);
        for (Object[] r : rows) {
            map.put(LifecycleMessage.Kind.valueOf(((String) r[0]).toUpperCase(Locale.ROOT)), new Outcomes(n(r[1]), n(r[2]), n(r[3]),
                    n(r[4]), n(r[5])));
        }
        return map;
    }

    private static long n(Object o) {
        return ((Number) o).longValue();
    }
}
