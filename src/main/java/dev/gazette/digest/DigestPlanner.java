package dev.gazette.digest;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import org.hibernate.Session;

import dev.gazette.common.events.EventLog;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;

/**
 * Turns newsletter schedules into deliveries. Each run looks a little ahead and, for every (date, time zone) whose local
 * send time falls in the new stretch, creates the date's issue if needed and one PENDING delivery per reader in that
 * zone, due at their own local send time (DST-correct through the JDK's zone rules). Quartz's clustered store runs it
 * on one instance at a time; the newsletter row lock and the unique (issue, reader) key make a second run harmless.
 */
@ApplicationScoped
public class DigestPlanner {

    private static final List<ZoneId> ZONES = ZoneId.getAvailableZoneIds().stream().sorted().map(ZoneId::of).toList();

    private final DigestConfig config;
    private final NextIssues nextIssues;
    private final Clock clock;
    private final EventLog events;

    DigestPlanner(DigestConfig config, NextIssues nextIssues, Clock clock, EventLog events) {
        this.events = events;
        this.nextIssues = nextIssues;
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(identity = "plan-digests", every = "${gazette.digest.plan-interval:1m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        try {
            planDue();
        } catch (RuntimeException e) {
            Log.errorf(e, "Planning digests failed; the next run retries");
        }
    }

    /** Plans every active newsletter up to now plus the look-ahead, and closes finished issues. Returns deliveries created. */
    public int planDue() {
        Instant now = clock.instant();
        Instant until = now.plus(config.planAhead());
        int created = 0;
        for (Long id : activeNewsletters()) {
            try {
                created += plan(id, now, until);
            } catch (RuntimeException e) {
                Log.errorf(e, "Planning newsletter %d failed; the next run retries", id);
            }
        }
        closeFinishedIssues(now);
        return created;
    }

    @Transactional
    List<Long> activeNewsletters() {
        return Newsletter.find("select n.id from Newsletter n where n.active = true order by n.id").project(Long.class).list();
    }

    @Transactional
    int plan(long newsletterId, Instant now, Instant until) {
        Newsletter n = Newsletter.findById(newsletterId, LockModeType.PESSIMISTIC_WRITE);
        if (n == null || !n.active) {
            return 0;
        }
        // A first run starts now; after an outage, missed send times are still planned (and sent late), up to a day back.
        Instant from = n.plannedUntil == null ? now : n.plannedUntil;
        Instant floor = now.minus(Duration.ofDays(1));
        if (from.isBefore(floor)) {
            from = floor;
        }
        if (!until.isAfter(from)) {
            return 0;
        }
        int created = 0;
        // Time zones run from UTC-12 to UTC+14: the local dates whose send time can fall between from and until.
        LocalDate first = LocalDateTime.ofInstant(from, ZoneOffset.UTC).toLocalDate().minusDays(1);
        LocalDate last = LocalDateTime.ofInstant(until, ZoneOffset.UTC).toLocalDate().plusDays(1);
        for (LocalDate date = first; !date.isAfter(last); date = date.plusDays(1)) {
            if (!SendTimes.isSendingDate(n.cadence, n.weeklyDay, date)) {
                continue;
            }
            List<String> zones = new ArrayList<>();
            List<Instant> dues = new ArrayList<>();
            for (ZoneId zone : ZONES) {
                Instant due = SendTimes.at(date, n.sendTime, zone).toInstant();
                if (due.isAfter(from) && !due.isAfter(until)) {
                    zones.add(zone.getId());
                    dues.add(due);
                }
            }
            if (zones.isEmpty()) {
                continue;
            }
            DigestIssue issue = scheduledIssue(n, date);
            if (issue.status.finished()) {
                continue;
            }
            boolean weeklyReaders = n.cadence == Cadence.WEEKLY || date.getDayOfWeek() == n.weeklyDay;
            created += insertDeliveries(issue.id, n, zones, dues, weeklyReaders);
        }
        n.plannedUntil = until;
        if (created > 0) {
            Log.infof("Planned %d deliveries of newsletter %s up to %s", created, n.slug, until);
        }
        return created;
    }

    private DigestIssue scheduledIssue(Newsletter n, LocalDate date) {
        // The issue editors prepared (the next one, PLANNED) is the one that goes out, and is fixed from now on; an
        // earlier date still going out in the west (a newsletter made today) keeps an issue of its own.
        Optional<DigestIssue> planned = DigestIssue.findScheduled(n.id, date).filter(i -> i.status != IssueStatus.PLANNED)
                .or(() -> DigestIssue.findPlanned(n.id).filter(p -> !date.isBefore(p.issueDate)));
        if (planned.isPresent() && planned.get().status == IssueStatus.PLANNED) {
            DigestIssue issue = planned.get();
            if (!date.equals(issue.issueDate)) {
                Log.infof("Issue %d of newsletter %s, planned for %s, goes out on %s", issue.number, n.slug, issue.issueDate, date);
            }
            nextIssues.schedule(issue, n, date);
            issue.status = IssueStatus.SENDING;
            issue.updatedAt = clock.instant();
            return issue;
        }
        return planned.orElseGet(() -> {
            Instant now = clock.instant();
            DigestIssue issue = new DigestIssue();
            issue.newsletterId = n.id;
            issue.number = ++n.issueCount;
            issue.kind = IssueKind.SCHEDULED;
            issue.status = IssueStatus.SENDING;
            nextIssues.schedule(issue, n, date);
            issue.created(now);
            issue.persist();
            Log.infof("Issue %d of newsletter %s for %s created", issue.number, n.slug, date);
            return issue;
        });
    }

    private int insertDeliveries(long issueId, Newsletter n, List<String> zones, List<Instant> dues, boolean weeklyReaders) {
        Session session = Panache.getEntityManager().unwrap(Session.class);
        session.flush();
        Long[] topicIds = n.topics.stream().map(t -> t.id).toArray(Long[]::new);
        return session.doReturningWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("""
                    insert into delivery (issue_id, subscriber_id, status, due_at, ready_at)
                    select ?, s.id, 'PENDING', z.due, z.due
                    from unnest(?::varchar[], ?::timestamptz[]) as z(zone, due)
                    join subscriber s on s.timezone = z.zone and s.status = 'ACTIVE'
                    where (s.paused_until is null or s.paused_until <= z.due)
                      and (? or s.frequency = 'DAILY')
                      and (? or s.all_topics or exists (select 1 from subscriber_topic st
                                                        where st.subscriber_id = s.id and st.topic_id = any(?)))
                    on conflict (issue_id, subscriber_id) do nothing
                    """)) {
                insert.setLong(1, issueId);
                insert.setArray(2, connection.createArrayOf("varchar", zones.toArray()));
                insert.setArray(3, timestamps(connection, dues));
                insert.setBoolean(4, weeklyReaders);
                insert.setBoolean(5, n.allTopics);
                insert.setArray(6, connection.createArrayOf("bigint", topicIds));
                int inserted = insert.executeUpdate();
                DeliveryLedger.analyze(connection, inserted);
                return inserted;
            }
        });
    }

    /**
     * Ends issues once nothing is left to send: manual ones when their ledger is settled, scheduled ones also only after
     * the last time zone's send time has been planned. The final status says how it went, with the counts (a WARN for
     * an issue that lost readers).
     */
    @Transactional
    int closeFinishedIssues(Instant now) {
        Session session = Panache.getEntityManager().unwrap(Session.class);
        return session.doReturningWork(connection -> {
            try (PreparedStatement close = connection.prepareStatement(CLOSE_FINISHED)) {
                close.setTimestamp(1, Timestamp.from(now));
                close.setTimestamp(2, Timestamp.from(now));
                int closed = 0;
                try (ResultSet rs = close.executeQuery()) {
                    while (rs.next()) {
                        closed++;
                        IssueStatus status = IssueStatus.valueOf(rs.getString(3));
                        logOutcome(rs.getLong(1), rs.getInt(2), status, rs.getInt(4), rs.getInt(5));
                        if (status != IssueStatus.FAILED) {
                            events.record(connection, EventLog.ISSUE_SENT, issueSent(rs, status, now));
                        }
                    }
                }
                return closed;
            }
        });
    }

    /** The {@code issue.sent} event: written with the issue's final status, in the same transaction. */
    private static Map<String, Object> issueSent(ResultSet rs, IssueStatus status, Instant now) throws SQLException {
        Map<String, Object> issue = new LinkedHashMap<>();
        issue.put("id", rs.getLong(1));
        issue.put("newsletterId", rs.getLong(6));
        issue.put("number", rs.getInt(2));
        issue.put("kind", rs.getString(7).toLowerCase(Locale.ROOT));
        issue.put("status", status.name().toLowerCase(Locale.ROOT));
        issue.put("sent", rs.getInt(4));
        issue.put("failed", rs.getInt(5));
        issue.put("completedAt", now.toString());
        return Map.of("issue", issue);
    }

    private static void logOutcome(long issueId, int number, IssueStatus status, int sent, int failed) {
        if (status == IssueStatus.DONE) {
            Log.infof("Issue %d (#%d) is done: %d sent", issueId, number, sent);
        } else {
            Log.warnf("Issue %d (#%d) ended %s: %d sent, %d failed for good (see the issue's failed deliveries)",
                    issueId, number, status, sent, failed);
        }
    }

    // 1 completed_at, 2 updated_at
    private static final String CLOSE_FINISHED = """
            with ended as (
                select i.id, c.sent, c.failed
                from digest_issue i
                join newsletter n on n.id = i.newsletter_id
                cross join lateral (
                    select count(*) filter (where d.status = 'SENT') as sent,
                           count(*) filter (where d.status = 'FAILED') as failed
                    from delivery d where d.issue_id = i.id) c
                where i.status = 'SENDING'
                  and (i.kind = 'MANUAL'
                       or n.planned_until >= ((i.issue_date + n.send_time) + interval '12 hours') at time zone 'UTC')
                  and not exists (select 1 from delivery d where d.issue_id = i.id
                                  and d.status in ('PENDING', 'RETRY', 'SENDING'))
            )
            update digest_issue i
            set status = case when e.failed = 0 then 'DONE' when e.sent = 0 then 'FAILED' else 'DONE_WITH_FAILURES' end,
                sent_count = e.sent, failed_count = e.failed, completed_at = ?, updated_at = ?
            from ended e
            where e.id = i.id and i.status = 'SENDING'
            returning i.id, i.number, i.status, i.sent_count, i.failed_count, i.newsletter_id, i.kind
            """;

    static Array timestamps(Connection connection, List<Instant> instants) throws SQLException {
        return connection.createArrayOf("timestamptz", instants.stream().map(Timestamp::from).toArray());
    }
}
