package dev.gazette.admin.web;

import dev.gazette.digest.DeliveryStatus;
import dev.gazette.digest.DigestIssue;
import dev.gazette.digest.IssueService;

/** An issue in the newsletter's list, with its progress and, once it has ended, how its deliveries ended. */
public record IssueRow(DigestIssue issue, IssueService.Progress progress) {

    static IssueRow of(IssueService.Progress progress) {
        return new IssueRow(progress.issue(), progress);
    }

    /** Whether the issue is still going out (or paused): its row refreshes itself, and it can be paused or cancelled. */
    public boolean running() {
        return !issue.status.finished();
    }

    public long done() {
        return progress.handled();
    }

    public long total() {
        return progress.total();
    }

    public int percent() {
        return progress.percent();
    }

    public long sent() {
        return progress.count(DeliveryStatus.SENT);
    }

    public long skipped() {
        return progress.count(DeliveryStatus.SKIPPED);
    }

    public long failed() {
        return progress.count(DeliveryStatus.FAILED);
    }

    public long bounced() {
        return progress.bounced();
    }

    /** Deliveries that will not go out because the issue was cancelled. */
    public long cancelled() {
        return progress.count(DeliveryStatus.CANCELLED);
    }

    /** Deliveries not handed to the mail server yet. */
    public long waiting() {
        return progress.total() - progress.handled();
    }
}
