package dev.gazette.digest;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Table;

import dev.gazette.common.BaseEntity;

/**
 * One issue of a newsletter. A scheduled issue reaches every reader on its date at the send time of their own time zone.
 */
@Entity
@Table(name = "digest_issue")
public class DigestIssue extends BaseEntity {

    @Column(name = "newsletter_id", nullable = false)
    public long newsletterId;

    @Column(nullable = false)
    public int number;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 10)
    public IssueKind kind;

    @Column(name = "issue_date")
    public LocalDate issueDate;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 20)
    public IssueStatus status;

    @Column(name = "send_at", nullable = false)
    public Instant sendAt;

    @Column(name = "period_start", nullable = false)
    public Instant periodStart;

    @Column(name = "period_end", nullable = false)
    public Instant periodEnd;

    @Column(nullable = false, length = 300)
    public String subject;

    @Column(name = "created_by", length = 100)
    public String createdBy;

    @Column(name = "completed_at")
    public Instant completedAt;

    /** Deliveries sent and failed for good, counted when the issue ended (null while it is open or if cancelled). */
    @Column(name = "sent_count")
    public Integer sentCount;

    @Column(name = "failed_count")
    public Integer failedCount;

    public static Optional<DigestIssue> findScheduled(long newsletterId, LocalDate date) {
        return find("newsletterId = ?1 and kind = ?2 and issueDate = ?3", newsletterId, IssueKind.SCHEDULED, date).firstResultOptional();
    }

    public static Optional<DigestIssue> findByNumber(long newsletterId, int number) {
        return find("newsletterId = ?1 and number = ?2", newsletterId, number).firstResultOptional();
    }
}
