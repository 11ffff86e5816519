package dev.gazette.stats;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import dev.gazette.common.Period;
import dev.gazette.common.error.ProblemException;
import dev.gazette.fediverse.Federation;

/**
 * The fediverse channel over a range of UTC days, next to the other channels' funnel: new followers, deliveries to
 * their servers by outcome, replies received, and the likes and boosts of the articles. An unfollow deletes its
 * follower, so followers are reported as the current number plus the new ones per day, not as a history of the number.
 */
@ApplicationScoped
public class FediverseReport {

    /** Longest range, in days. */
    public static final int MAX_DAYS = 366;
    /** Default range, in days, ending today. */
    public static final int DEFAULT_DAYS = 30;

    // a delivery counts on the day it was delivered, a failure on the day it failed (its next_attempt_at once settled)
    private static final String PER_DAY = """
            select day, sum(followers), sum(delivered), sum(failed), sum(replies) from (
                select cast(created_at at time zone 'UTC' as date) as day, count(*) as followers, 0 as delivered, 0 as failed,
                       0 as replies
                from fediverse_follower where created_at >= :start and created_at < :end group by 1
                union all
                select cast(delivered_at at time zone 'UTC' as date), 0, count(*), 0, 0
                from fediverse_delivery where status = 'DELIVERED' and delivered_at >= :start and delivered_at < :end group by 1
                union all
                select cast(next_attempt_at at time zone 'UTC' as date), 0, 0, count(*), 0
                from fediverse_delivery where status = 'FAILED' and next_attempt_at >= :start and next_attempt_at < :end
                group by 1
                union all
                select cast(received_at at time zone 'UTC' as date), 0, 0, 0, count(*)
                from fediverse_reply where received_at >= :start and received_at < :end group by 1
            ) x group by day order by day""";
    private static final String ARTICLES_DELIVERED = """
            select count(distinct article_id) from fediverse_delivery
            where status = 'DELIVERED' and kind = 'CREATE' and delivered_at >= :start and delivered_at < :end""";
    private static final String REACTIONS = "select coalesce(sum(likes), 0), coalesce(sum(announces), 0) from fediverse_reaction";

    /**
     * One UTC day: followers who followed that day (and still do), activities delivered, deliveries that failed, replies
     * received (whatever their moderation).
     */
    public record Day(LocalDate day, long newFollowers, long delivered, long failed, long replies) {
    }

    /**
     * The sums over the range; {@code articlesDelivered}: articles whose {@code Create} reached at least one server in
     * the range (the channel's "posts").
     */
    public record Totals(long newFollowers, long delivered, long failed, long replies, long articlesDelivered) {
    }

    /**
     * The report: whether federation is on now, the range, followers now, every day of the range, the sums, and the
     * likes and boosts of all articles since the start (they are counted without a date).
     */
    public record Report(boolean enabled, LocalDate from, LocalDate to, long currentFollowers, List<Day> days, Totals total,
            long likes, long boosts) {
    }

    private final EntityManager em;
    private final Federation federation;
    private final Clock clock;

    FediverseReport(EntityManager em, Federation federation, Clock clock) {
        this.em = em;
        this.federation = federation;
        this.clock = clock;
    }

    /**
     * The range asked for, UTC days, both included: the last {@value #DEFAULT_DAYS} days (today included) by default;
     * an end alone gets the {@value #DEFAULT_DAYS} days before it, a start alone runs to today. A start after the end
     * or a range over {@value #MAX_DAYS} days is refused naming the field.
     */
    public Period range(Period asked) {
        LocalDate last = asked.to() != null ? asked.to() : LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        LocalDate first = asked.from() != null ? asked.from() : last.minusDays(DEFAULT_DAYS - 1);
        Period p = new Period(first, last);
        if (ChronoUnit.DAYS.between(first, last) + 1 > MAX_DAYS) {
            throw ProblemException.invalid("from", "the range can be at most " + MAX_DAYS + " days");
        }
        return p;
    }

    /** The report over a range as {@link #range} returns it. */
    @Transactional
    @SuppressWarnings("unchecked")
    public Report of(Period range) {
        Instant start = range.from().atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant end = range.to().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        List<Object[]> rows = em.createNativeQuery(PER_DAY).setParameter("start", start).setParameter("end", end).getResultList();
        Map<LocalDate, Day> found = new HashMap<>();
        for (Object[] r : rows) {
            LocalDate day = r[0] instanceof LocalDate d ? d : ((java.sql.Date) r[0]).toLocalDate();
            found.put(day, new Day(day, num(r[1]), num(r[2]), num(r[3]), num(r[4])));
        }
        List<Day> days = new ArrayList<>();
        long followers = 0;
        long delivered = 0;
        long failed = 0;
        long replies = 0;
        for (LocalDate day = range.from(); !day.isAfter(range.to()); day = day.plusDays(1)) {
            Day d = found.getOrDefault(day, new Day(day, 0, 0, 0, 0));
            days.add(d);
            followers += d.newFollowers();
            delivered += d.delivered();
            failed += d.failed();
            replies += d.replies();
        }
        long articles = num(em.createNativeQuery(ARTICLES_DELIVERED).setParameter("start", start).setParameter("end", end)
                .getSingleResult());
        long current = num(em.createNativeQuery("select count(*) from fediverse_follower").getSingleResult());
        Object[] reactions = (Object[]) em.createNativeQuery(REACTIONS).getSingleResult();
        return new Report(federation.enabled(), range.from(), range.to(), current, days,
                new Totals(followers, delivered, failed, replies, articles), num(reactions[0]), num(reactions[1]));
    }

    private static long num(Object o) {
        return o == null ? 0 : ((Number) o).longValue();
    }
}
