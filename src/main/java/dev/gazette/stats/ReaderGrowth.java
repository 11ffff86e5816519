package dev.gazette.stats;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import dev.gazette.common.Period;
import dev.gazette.common.config.SiteConfig;
import dev.gazette.common.error.ProblemException;
import dev.gazette.digest.Newsletter;

/**
 * A newsletter's readers over time, per day in the site's zone: new readers, confirmations, unsubscribes and
 * suppressions. A newsletter's readers are those whose topics meet its own (or who follow everything; every reader
 * for a newsletter of every topic), by the topics they follow now, the rule digests are sent by.
 */
@ApplicationScoped
public class ReaderGrowth {

    /** Longest range, in days. */
    public static final int MAX_DAYS = 366;
    /** Default range, in days, ending today. */
    public static final int DEFAULT_DAYS = 30;

    private static final String READERS = """
            (:all or s.all_topics or exists (select 1 from subscriber_topic st
                join newsletter_topic nt on nt.topic_id = st.topic_id
                where st.subscriber_id = s.id and nt.newsletter_id = :newsletter))""";

    // Days are cut in the site's zone, so a day is 23 or 25 hours long when the clocks change.
    private static final String PER_DAY = """
            select day, sum(created), sum(confirmed), sum(unsubscribed), sum(suppressed) from (
                select cast(s.created_at at time zone :zone as date) as day, 1 as created, 0 as confirmed,
                       0 as unsubscribed, 0 as suppressed
                from subscriber s
                where s.created_at >= :start and s.created_at < :end and """ + READERS + """

                union all
                select e.day, 0, count(*) filter (where e.kind = 'C'), count(*) filter (where e.kind = 'U'),
                       count(*) filter (where e.kind = 'S')
                from (select distinct cast(e.created_at at time zone :zone as date) as day, e.subscriber_id,
                             -- an editor's suppression for the reason UNSUBSCRIBED is an unsubscribe
                             case when e.type = 'CONFIRMED' then 'C'
                                  when e.type = 'UNSUBSCRIBED' or e.detail like 'UNSUBSCRIBED%' then 'U' else 'S' end as kind
                      from subscriber_event e join subscriber s on s.id = e.subscriber_id
                      where e.type in ('CONFIRMED', 'UNSUBSCRIBED', 'SUPPRESSED')
                        and e.created_at >= :start and e.created_at < :end and """ + READERS + """
                     ) e
                group by e.day
            ) x group by day order by day""";

    /** The counts of one day. */
    public record Day(LocalDate day, long created, long confirmed, long unsubscribed, long suppressed) {
    }

    /** The sums over the range. */
    public record Totals(long created, long confirmed, long unsubscribed, long suppressed) {
    }

    /** A newsletter's days over a range, every day of it, days without events included. */
    public record Growth(long newsletterId, String newsletter, String zone, LocalDate from, LocalDate to, List<Day> days,
            Totals total) {
    }

    private final EntityManager em;
    private final SiteConfig site;
    private final Clock clock;

    ReaderGrowth(EntityManager em, SiteConfig site, Clock clock) {
        this.em = em;
        this.site = site;
        this.clock = clock;
    }

    /**
     * The range asked for, days in the site's zone, both included: the last {@value #DEFAULT_DAYS} days (today
     * included) by default; an end alone gets the {@value #DEFAULT_DAYS} days before it, a start alone runs to today.
     * A start after the end or a range over {@value #MAX_DAYS} days is refused naming the field.
     */
    public Period range(Period asked) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), site.timeZone());
        LocalDate last = asked.to() != null ? asked.to() : today;
        LocalDate first = asked.from() != null ? asked.from() : last.minusDays(DEFAULT_DAYS - 1);
        Period p = new Period(first, last);
        if (ChronoUnit.DAYS.between(first, last) + 1 > MAX_DAYS) {
            throw ProblemException.invalid("from", "the range can be at most " + MAX_DAYS + " days");
        }
        return p;
    }

    /** The newsletter's readers per day of the range; 404 for an unknown newsletter. */
    @Transactional
    @SuppressWarnings("unchecked")
    public Growth of(long newsletterId, Period range) {
        Newsletter n = Newsletter.<Newsletter> findByIdOptional(newsletterId)
                .orElseThrow(() -> ProblemException.notFound("Newsletter " + newsletterId));
        ZoneId zone = site.timeZone();
        List<Object[]> rows = em.createNativeQuery(PER_DAY).setParameter("zone", zone.getId())
                .setParameter("start", range.from().atStartOfDay(zone).toInstant())
                .setParameter("end", range.to().plusDays(1).atStartOfDay(zone).toInstant())
                .setParameter("all", n.allTopics).setParameter("newsletter", newsletterId).getResultList();
        Map<LocalDate, Day> found = new HashMap<>();
        for (Object[] r : rows) {
            LocalDate day = r[0] instanceof LocalDate d ? d : ((java.sql.Date) r[0]).toLocalDate();
            found.put(day, new Day(day, num(r[1]), num(r[2]), num(r[3]), num(r[4])));
        }
        List<Day> days = new ArrayList<>();
        long created = 0;
        long confirmed = 0;
        long unsubscribed = 0;
        long suppressed = 0;
        for (LocalDate day = range.from(); !day.isAfter(range.to()); day = day.plusDays(1)) {
            Day d = found.getOrDefault(day, new Day(day, 0, 0, 0, 0));
            days.add(d);
            created += d.created();
            confirmed += d.confirmed();
            unsubscribed += d.unsubscribed();
            suppressed += d.suppressed();
        }
        return new Growth(n.id, n.name, zone.getId(), range.from(), range.to(), days,
                new Totals(created, confirmed, unsubscribed, suppressed));
    }

    private static long num(Object o) {
        return o == null ? 0 : ((Number) o).longValue();
    }
}
