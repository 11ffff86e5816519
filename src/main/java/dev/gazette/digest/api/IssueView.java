package dev.gazette.digest.api;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;

import dev.gazette.digest.DeliveryStatus;
import dev.gazette.digest.DigestIssue;
import dev.gazette.digest.IssueKind;
import dev.gazette.digest.IssueService;
import dev.gazette.digest.IssueStatus;

/**
 * An issue with its progress: deliveries by state, and how many went out again after a sender stopped mid-send.
 */
public record IssueView(long id, long newsletterId, int number, IssueKind kind, LocalDate issueDate, IssueStatus status,
        String subject, Instant sendAt, Instant periodStart, Instant periodEnd, String webUrl, Instant completedAt,
        Map<DeliveryStatus, Long> deliveries, Long total, Long recovered, Integer sentCount, Integer failedCount) {

    public static IssueView of(DigestIssue i, String webUrl) {
        return new IssueView(i.id, i.newsletterId, i.number, i.kind, i.issueDate, i.status, i.subject, i.sendAt, i.periodStart,
                i.periodEnd, webUrl, i.completedAt, null, null, null, i.sentCount, i.failedCount);
    }

    public static IssueView of(IssueService.Progress p, String webUrl) {
        DigestIssue i = p.issue();
        return new IssueView(i.id, i.newsletterId, i.number, i.kind, i.issueDate, i.status, i.subject, i.sendAt, i.periodStart,
                i.periodEnd, webUrl, i.completedAt, p.deliveries(), p.total(), p.recovered(), i.sentCount, i.failedCount);
    }
}
