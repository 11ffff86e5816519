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

    /** Deliveries of some issues by state, and how many were taken over after a lease ran out. 1: the issue ids. */
    private static final String PROGRESS = """
            select issue_id, status, count(*), sum(case when recoveries > 0 then 1 else 0 end) from delivery
            where issue_id = any(?) group by issue_id, status""";

    private final NewsletterService newsletters;
    private final Clock clock;

    IssueService(NewsletterService newsletters, Clock clock) {
        this.newsletters = newsletters;
        this.clock = clock;
    }

    /** How far an issue has got, by delivery state. */
    public record Progress(DigestIssue issue, Map<DeliveryStatus, Long> deliveries, long recovered) {
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

    /**
     * An issue outside the schedule, for every reader of the newsletter, due at {@code sendAt} (now when null). The
     * ledger rows are written in one statement; senders pick them up when due.
     */
    @Transactional
    public Progress sendManual(long newsletterId, Instant sendAt, String subject, String createdBy) {
        if (HeaderFields.hasControlCharacters(subject)) {
            throw ProblemException.invalid("subject", HeaderFields.CONTROL_CHARACTERS);
        }
        Newsletter n = Newsletter.findById(newsletterId, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        if (n == null) {
            throw ProblemException.notFound("Newsletter " + newsletterId);
        }
        Instant now = clock.instant();
        Instant due = sendAt == null || sendAt.isBefore(now) ? now : sendAt;
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
        issue.subject = subject == null || subject.isBlank() ? n.name : subject.strip();
        issue.createdBy = createdBy;
        issue.created(now);
        issue.persist();
        Session session = Panache.getEntityManager().unwrap(Session.class);
        session.flush();
        Long[] topicIds = n.topics.stream().map(t -> t.id).toArray(Long[]::new);
        int created = session.doReturningWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("""
                    insert into delivery (issue_id, subscriber_id, status, due_at, ready_at)
                    select ?, s.id, 'PENDING', ?, ?
                    from subscriber s
                    where s.status = 'ACTIVE' and (s.paused_until is null or s.paused_until <= ?)
                      and (? or s.all_topics or exists (select 1 from subscriber_topic st
                                                        where st.subscriber_id = s.id and st.topic_id = any(?)))
                    on conflict (issue_id, subscriber_id) do nothing
                    """)) {
                Timestamp at = Timestamp.from(due);
                insert.setLong(1, issue.id);
                insert.setTimestamp(2, at);
                insert.setTimestamp(3, at);
                insert.setTimestamp(4, at);
                insert.setBoolean(5, n.allTopics);
                insert.setArray(6, connection.createArrayOf("bigint", topicIds));
                int inserted = insert.executeUpdate();
                DeliveryLedger.analyze(connection, inserted);
                return inserted;
            }
        });
        Log.infof("Issue %d of newsletter %s: %d deliveries due at %s", issue.number, n.slug, created, due);
        Map<DeliveryStatus, Long> counts = new EnumMap<>(DeliveryStatus.class);
        counts.put(DeliveryStatus.PENDING, (long) created);
        return new Progress(issue, counts, 0);
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
        for (DigestIssue issue : issues) {
            Map<DeliveryStatus, Long> zero = new EnumMap<>(DeliveryStatus.class);
            for (DeliveryStatus status : DeliveryStatus.values()) {
                zero.put(status, 0L);
            }
            counts.put(issue.id, zero);
            recovered.put(issue.id, 0L);
        }
        Panache.getEntityManager().unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement query = connection.prepareStatement(PROGRESS)) {
                query.setArray(1, connection.createArrayOf("bigint", issues.stream().map(i -> i.id).toArray()));
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        counts.get(rs.getLong(1)).put(DeliveryStatus.valueOf(rs.getString(2)), rs.getLong(3));
                        recovered.merge(rs.getLong(1), rs.getLong(4), Long::sum);
                    }
                }
            }
        });
        return issues.stream().map(i -> new Progress(i, counts.get(i.id), recovered.get(i.id))).toList();
    }
}
