package dev.gazette.digest;

/**
 * State of one (issue, reader) row of the delivery ledger.
 */
public enum DeliveryStatus {
    PENDING,
    SENDING,
    SENT,
    RETRY,
    FAILED,
    SKIPPED,
    CANCELLED
}
