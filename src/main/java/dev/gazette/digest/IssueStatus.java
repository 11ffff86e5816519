package dev.gazette.digest;

/**
 * Lifecycle of a digest issue. PLANNED is the next scheduled issue before its first delivery is due: editors may still
 * shape it (note, subject, pins, exclusions); it turns SENDING then, and is fixed from that moment. SENDING covers waiting for readers' local send times too. An issue ends DONE when every
 * delivery that was attempted went out, DONE_WITH_FAILURES when some failed for good, FAILED when none went out.
 */
public enum IssueStatus {
    PLANNED,
    SENDING,
    PAUSED,
    CANCELLED,
    DONE,
    DONE_WITH_FAILURES,
    FAILED;

    /** Whether nothing more will be sent for the issue. */
    public boolean finished() {
        return this != PLANNED && this != SENDING && this != PAUSED;
    }

    /** Whether the issue was sent to the end (whatever the failures), as opposed to cancelled or still open. */
    public boolean sent() {
        return this == DONE || this == DONE_WITH_FAILURES || this == FAILED;
    }
}
