package dev.gazette.digest;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.hibernate.Session;

import dev.gazette.common.error.ProblemException;
import dev.gazette.mail.HeaderFields;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.panache.common.Sort;

/**
 * Issues as editors handle them: send one now or at a given time, pause, resume, cancel, and follow progress.
 */
@ApplicationScoped
public class IssueService {

    /**
     * Deliveries of some issues by state, how many were taken over after a lease ran out, and how many a bounce report
     * came back for (BounceHandler notes "HARD_BOUNCE: ..." or "SOFT_BOUNCE: ..." as the last error). 1: the issue ids.
     */
    private static final String PROGRESS = """
            select issue_id, status, count(*), sum(case when recoveries > 0 then 1 else 0 end),
                   count(*) filter (where last_error like 'HARD\\_BOUNCE:%' or last_error like 'SOFT\\_BOUNCE:%')
            from delivery where issue_id = any(?) group by issue_id, status""";

    /**
     * The readers a manual issue goes to: active, not pausing their mail at the send time, and following one of the
     * newsletter's topics (or all of it). Counting and inserting use this one rule. Its own positions: the send time,
     * whether the newsletter covers every topic, the newsletter's topic ids.
     */
    private static final String AUDIENCE = """
            from subscriber s
            where s.status = 'ACTIVE' and (s.paused_until is null or s.paused_until <= ?)
              and (? or s.all_topics or exists (select 1 from subscriber_topic st
                                                where st.subscriber_id = s.id and st.topic_id = any(?)))""";

    /** 1: the issue id, 2: due_at, 3: ready_at, then the audience's positions. */
    private static final String INSERT_DELIVERIES = """
            insert into delivery (issue_id, subscriber_id, status, due_at, ready_at)
            select ?, s.id, 'PENDING', ?, ?
            """ + AUDIENCE + "\non conflict (issue_id, subscriber_id) do nothing";

    /** The audience's positions. */
    private static final String COUNT_AUDIENCE = "select count(*)\n" + AUDIENCE;

    /** Failed or bounced deliveries of an issue, with the reader's address. 1: the issue id, 2: the limit. */
    private static final String FAILURES = """
            select d.subscriber_id, s.email, d.status, d.attempts, d.last_error, coalesce(d.sent_at, d.claimed_at, d.due_at)
            from delivery d join subscriber s on s.id = d.subscriber_id
            where d.issue_id = ? and (d.status = 'FAILED' or d.last_error like 'HARD\\_BOUNCE:%' or d.last_error like 'SOFT\\_BOUNCE:%')
            order by d.id limit ?""";

    private final NewsletterService newsletters;
    private final Clock clock;

    IssueService(NewsletterService newsletters, Clock clock) {
        this.newsletters = newsletters;
        this.clock = clock;
    }

    /** How far an issue has got, by delivery state, and how many of its messages bounced after they were sent. */
    public record Progress(DigestIssue issue, Map<DeliveryStatus, Long> deliveries, long recovered, long bounced) {
        public long total() {
            return deliveries.values().stream().mapToLong(Long::longValue).sum();
        }

        /** Deliveries that have reached an end (sent, failed, skipped, cancelled). */
        public long handled() {
            return total() - deliveries.entrySet().stream()
                    .filter(e -> e.getKey() == DeliveryStatus.PENDING || e.getKey() == DeliveryStatus.SENDING
                            || e.getKey() == DeliveryStatus.RETRY)
                    .mapToLong(Map.Entry::getValue).sum();
        }

        /** {@link #handled()} as a whole percentage of the total; 100 for an issue without deliveries. */
        public int percent() {
            long total = total();
            return total == 0 ? 100 : (int) (handled() * 100 / total);
        }

        /** Deliveries in one state. */
        public long count(DeliveryStatus status) {
            return deliveries.getOrDefault(status, 0L);
        }
    }

    /**
     * Who an issue sent now would go to: the newsletter, the number the issue would get, its subject (the newsletter's
     * name when none is given) and how many readers it would be sent to.
     */
    public record Audience(long newsletterId, String newsletter, int nextNumber, String subject, long recipients) {
    }

    /** A delivery that failed for good or bounced, with what went wrong last. */
    public record Failure(long subscriberId, String email, DeliveryStatus status, int attempts, String lastError, Instant at) {
    }

    @Transactional
    public List<DigestIssue> list(long newsletterId, int limit) {
        newsletters.get(newsletterId);
        return DigestIssue.find("newsletterId", Sort.descending("number"), newsletterId).page(0, limit).list();
    }

    @Transactional
    public DigestIssue get(long issueId) {
        DigestIssue issue = DigestIssue.findById(issueId);
        if (issue == null) {
            throw ProblemException.notFound("Issue " + issueId);
        }
        return issue;
    }

    /** Who an issue sent at {@code sendAt} (now when null) with {@code subject} would go to, counted as sending counts. */
    @Transactional
    public Audience audience(long newsletterId, Instant sendAt, String subject) {
        Newsletter n = newsletters.get(newsletterId);
        Instant due = due(sendAt);
        long recipients = Panache.getEntityManager().unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement count = connection.prepareStatement(COUNT_AUDIENCE)) {
                bindAudience(connection, count, 1, n, due);
                try (ResultSet rs = count.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
        return new Audience(n.id, n.name, n.issueCount + 1, subjectOf(n, subject), recipients);
    }

    /** An issue outside the schedule without a confirmed count, for callers inside Gazette (tests, tools). */
    @Transactional
    public Progress sendManual(long newsletterId, Instant sendAt, String subject, String createdBy) {
        return sendManual(newsletterId, sendAt, subject, createdBy, null, null);
    }

    /**
     * An issue outside the schedule, for every reader of the newsletter, due at {@code sendAt} (now when null). The
     * ledger rows are written in one statement; senders pick them up when due. When {@code expectedRecipients} is
     * given and the issue would go to another number of readers, or {@code expectedNumber} is given and another issue
     * went out since it was confirmed, nothing is sent: 409 naming the field (a retried or repeated confirmation does
     * not send twice).
     */
    @Transactional
    public Progress sendManual(long newsletterId, Instant sendAt, String subject, String createdBy, Long expectedRecipients,
            Integer expectedNumber) {
        if (HeaderFields.hasControlCharacters(subject)) {
            throw ProblemException.invalid("subject", HeaderFields.CONTROL_CHARACTERS);
        }
        Newsletter n = Newsletter.findById(newsletterId, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        if (n == null) {
            throw ProblemException.notFound("Newsletter " + newsletterId);
        }
        if (expectedNumber != null && n.issueCount + 1 != expectedNumber) {
            throw ProblemException.conflict("issueNumber", "Issue #" + n.issueCount + " of " + n.name
                    + " was created after this send was confirmed, so it was not sent again. Check the issues and confirm anew.");
        }
        Instant now = clock.instant();
        Instant due = due(sendAt);
        DigestIssue previous = DigestIssue.find("newsletterId = ?1 and status <> ?2", Sort.descending("periodEnd"),
                newsletterId, IssueStatus.CANCELLED).firstResult();
        DigestIssue issue = new DigestIssue();
        issue.newsletterId = n.id;
        issue.number = ++n.issueCount;
        issue.kind = IssueKind.MANUAL;
        issue.status = IssueStatus.SENDING;
        issue.sendAt = due;
        issue.periodEnd = due;
        Instant defaultStart = due.minus(n.cadence.period());
        issue.periodStart = previous != null && previous.periodEnd.isAfter(defaultStart) && previous.periodEnd.isBefore(due)
                ? previous.periodEnd : defaultStart;
        issue.subject = subjectOf(n, subject);
        issue.createdBy = createdBy;
        issue.created(now);
        issue.persist();
        Session session = Panache.getEntityManager().unwrap(Session.class);
        session.flush();
        int created = session.doReturningWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(INSERT_DELIVERIES)) {
                Timestamp at = Timestamp.from(due);
                insert.setLong(1, issue.id);
                insert.setTimestamp(2, at);
                insert.setTimestamp(3, at);
                bindAudience(connection, insert, 4, n, due);
                int inserted = insert.executeUpdate();
                DeliveryLedger.analyze(connection, inserted);
                return inserted;
            }
        });
        // Compared with the rows written, not with a count taken before: the exception rolls the whole issue back.
        if (expectedRecipients != null && created != expectedRecipients) {
            throw ProblemException.conflict("expectedRecipients", "The issue would now go to " + created + " readers, not "
                    + expectedRecipients + ": nothing was sent. Current count: " + created + ".");
        }
        Log.infof("Issue %d of newsletter %s: %d deliveries due at %s", issue.number, n.slug, created, due);
        Map<DeliveryStatus, Long> counts = new EnumMap<>(DeliveryStatus.class);
        counts.put(DeliveryStatus.PENDING, (long) created);
        return new Progress(issue, counts, 0, 0);
    }

    private Instant due(Instant sendAt) {
        Instant now = clock.instant();
        return sendAt == null || sendAt.isBefore(now) ? now : sendAt;
    }

    private static String subjectOf(Newsletter n, String subject) {
        return subject == null || subject.isBlank() ? n.name : subject.strip();
    }

    private static void bindAudience(java.sql.Connection connection, PreparedStatement statement, int first, Newsletter n,
            Instant due) throws java.sql.SQLException {
        statement.setTimestamp(first, Timestamp.from(due));
        statement.setBoolean(first + 1, n.allTopics);
        statement.setArray(first + 2, connection.createArrayOf("bigint", n.topics.stream().map(t -> t.id).toArray(Long[]::new)));
    }

    /** An issue's deliveries that failed for good or bounced, first written first, at most {@code limit}. */
    @Transactional
    public List<Failure> failures(long issueId, int limit) {
        get(issueId);
        return Panache.getEntityManager().unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement query = connection.prepareStatement(FAILURES)) {
                query.setLong(1, issueId);
                query.setInt(2, limit);
                List<Failure> out = new java.util.ArrayList<>();
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        Timestamp at = rs.getTimestamp(6);
                        out.add(new Failure(rs.getLong(1), rs.getString(2), DeliveryStatus.valueOf(rs.getString(3)), rs.getInt(4),
                                rs.getString(5), at == null ? null : at.toInstant()));
                    }
                }
                return out;
            }
        });
    }

    @Transactional
    public DigestIssue pause(long issueId) {
        DigestIssue issue = get(issueId);
        if (issue.status != IssueStatus.SENDING && issue.status != IssueStatus.PAUSED) {
            throw ProblemException.conflict("status", "Only an issue that is sending can be paused; this one is " + issue.status + ".");
        }
        issue.status = IssueStatus.PAUSED;
        issue.updatedAt = clock.instant();
        return issue;
    }

    @Transactional
    public DigestIssue resume(long issueId) {
        DigestIssue issue = get(issueId);
        if (issue.status != IssueStatus.SENDING && issue.status != IssueStatus.PAUSED) {
            throw ProblemException.conflict("status", "Only a paused issue can be resumed; this one is " + issue.status + ".");
        }
        issue.status = IssueStatus.SENDING;
        issue.updatedAt = clock.instant();
        return issue;
    }

    /** Stops an issue for good: what has not been handed to the SMTP server yet is not sent. */
    @Transactional
    public DigestIssue cancel(long issueId) {
        DigestIssue issue = get(issueId);
        if (issue.status.sent()) {
            throw ProblemException.conflict("status", "The issue has finished sending: there is nothing left to cancel.");
        }
        Instant now = clock.instant();
        issue.status = IssueStatus.CANCELLED;
        issue.completedAt = now;
        issue.updatedAt = now;
        Session session = Panache.getEntityManager().unwrap(Session.class);
        session.flush();
        int cancelled = session.doReturningWork(connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "update delivery set status = 'CANCELLED' where issue_id = ? and status in ('PENDING', 'RETRY')")) {
                update.setLong(1, issueId);
                return update.executeUpdate();
            }
        });
        Log.infof("Issue %d cancelled: %d deliveries will not be sent", issueId, cancelled);
        return issue;
    }

    /** An issue with its newsletter's name and its progress, as the editor UI lists issues going out. */
    public record Summary(String newsletter, Progress progress) {

        public DigestIssue issue() {
            return progress.issue();
        }
    }

    /** The issues going out or paused, first due first. */
    @Transactional
    public List<Summary> running() {
        List<DigestIssue> running = DigestIssue.list("status in ?1", Sort.by("sendAt"), List.of(IssueStatus.SENDING, IssueStatus.PAUSED));
        if (running.isEmpty()) {
            return List.of();
        }
        Map<Long, String> names = Newsletter.<Newsletter>list("id in ?1", running.stream().map(i -> i.newsletterId).distinct().toList())
                .stream().collect(Collectors.toMap(n -> n.id, n -> n.name));
        return progress(running).stream()
                .map(p -> new Summary(names.getOrDefault(p.issue().newsletterId, "?"), p)).toList();
    }

    /** One issue with its newsletter's name and its progress. */
    @Transactional
    public Summary summary(long issueId) {
        Progress progress = progress(issueId);
        Newsletter n = Newsletter.findById(progress.issue().newsletterId);
        return new Summary(n == null ? "?" : n.name, progress);
    }

    @Transactional
    public Progress progress(long issueId) {
        return progress(List.of(get(issueId))).get(0);
    }

    /** The progress of several issues, in their order, counted in one query. */
    @Transactional
    public List<Progress> progress(List<DigestIssue> issues) {
        if (issues.isEmpty()) {
            return List.of();
        }
        Map<Long, Map<DeliveryStatus, Long>> counts = new HashMap<>();
        Map<Long, Long> recovered = new HashMap<>();
        Map<Long, Long> bounced = new HashMap<>();
        for (DigestIssue issue : issues) {
            Map<DeliveryStatus, Long> zero = new EnumMap<>(DeliveryStatus.class);
            for (DeliveryStatus status : DeliveryStatus.values()) {
                zero.put(status, 0L);
            }
            counts.put(issue.id, zero);
            recovered.put(issue.id, 0L);
            bounced.put(issue.id, 0L);
        }
        Panache.getEntityManager().unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement query = connection.prepareStatement(PROGRESS)) {
                query.setArray(1, connection.createArrayOf("bigint", issues.stream().map(i -> i.id).toArray()));
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        counts.get(rs.getLong(1)).put(DeliveryStatus.valueOf(rs.getString(2)), rs.getLong(3));
                        recovered.merge(rs.getLong(1), rs.getLong(4), Long::sum);
                        bounced.merge(rs.getLong(1), rs.getLong(5), Long::sum);
                    }
                }
            }
        });
        return issues.stream().map(i -> new Progress(i, counts.get(i.id), recovered.get(i.id), bounced.get(i.id))).toList();
    }
}
