package dev.gazette.subscriber;

/**
 * Why an address is never mailed.
 */
public enum SuppressionReason {
    UNSUBSCRIBED,
    HARD_BOUNCE,
    COMPLAINT,
    BLOCKED,
    ERASED,
    /** Unsubscribed by the re-engagement policy: no answer to the "still want this?" mail. */
    INACTIVE;

    /** Whether only an editor can lift it (an unsubscribe is lifted by a new double opt-in instead). */
    public boolean needsEditor() {
        return this == HARD_BOUNCE || this == COMPLAINT || this == BLOCKED;
    }
}
