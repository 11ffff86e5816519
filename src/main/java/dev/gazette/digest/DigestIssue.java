package dev.gazette.digest;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

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

    /** The editor's note as typed (Markdown), and as readers see it (sanitised HTML); both null without a note. */
    @Column(name = "note_markdown")
    public String noteMarkdown;

    @Column(name = "note_html")
    public String noteHtml;

    /** The subject as a Qute template, checked when saved; null: the default subject ({@link #subject}). */
    @Column(name = "subject_template", length = 300)
    public String subjectTemplate;

    /** The hidden preview text after the subject in inbox lists; null: the reader's first headlines. */
    @Column(length = 300)
    public String preheader;

    /** Articles pinned on top, in order; {@link #pinnedForAll} says, position by position, "for all readers". */
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "pinned_ids", nullable = false)
    public Long[] pinnedIds = new Long[0];

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "pinned_for_all", nullable = false)
    public Boolean[] pinnedForAll = new Boolean[0];

    /** Articles no reader of this issue gets. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "excluded_ids", nullable = false)
    public Long[] excludedIds = new Long[0];

    /** A special edition's readers follow one of these topics; empty: every reader of the newsletter. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "audience_topic_ids", nullable = false)
    public Long[] audienceTopicIds = new Long[0];

    /** The last part of the issue's web copy address: its number, or {@code special-<number>} for a special edition. */
    public String webName() {
        return kind == IssueKind.SPECIAL ? "special-" + number : String.valueOf(number);
    }

    /** How the issue is named to readers and editors. */
    public String label() {
        return kind == IssueKind.SPECIAL ? "Special edition No. " + number : "No. " + number;
    }

    public static Optional<DigestIssue> findPlanned(long newsletterId) {
        return find("newsletterId = ?1 and status = ?2", newsletterId, IssueStatus.PLANNED).firstResultOptional();
    }

    public static Optional<DigestIssue> findScheduled(long newsletterId, LocalDate date) {
        return find("newsletterId = ?1 and kind = ?2 and issueDate = ?3", newsletterId, IssueKind.SCHEDULED, date).firstResultOptional();
    }

    /** A regular (scheduled or manual) issue by its number. */
    public static Optional<DigestIssue> findByNumber(long newsletterId, int number) {
        return find("newsletterId = ?1 and number = ?2 and kind <> ?3", newsletterId, number, IssueKind.SPECIAL).firstResultOptional();
    }

    public static Optional<DigestIssue> findSpecial(long newsletterId, int number) {
        return find("newsletterId = ?1 and number = ?2 and kind = ?3", newsletterId, number, IssueKind.SPECIAL).firstResultOptional();
    }
}
