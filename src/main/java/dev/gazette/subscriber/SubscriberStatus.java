package dev.gazette.subscriber;

/**
 * Where a reader stands. Only ACTIVE readers get newsletters; BOUNCED, COMPLAINED and BLOCKED are also on the
 * suppression list and need an editor to lift; UNSUBSCRIBED needs a new double opt-in.
 */
public enum SubscriberStatus {
    PENDING,
    ACTIVE,
    UNSUBSCRIBED,
    BOUNCED,
    COMPLAINED,
    BLOCKED
}
