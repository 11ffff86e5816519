package dev.gazette.mail.bounce;

/**
 * One bounced or complaining recipient, whatever the notification format it came in.
 *
 * @param recipient  the failed or complaining mailbox, domain in lower case; null if the notification does not say
 * @param envelopeTo the VERP bounce address of the original message, null if unknown
 * @param messageId  the original message's Message-ID header with its angle brackets, or the provider's own id
 *                   where that is all the provider gives (Postmark); null if unknown
 * @param status     the RFC 3463 enhanced status code such as {@code 5.1.1}, null if unknown
 * @param diagnostic the remote server's diagnostic or the complaint's feedback type, at most 500 characters
 */
public record BounceReport(Kind kind, String recipient, String envelopeTo, String messageId, String status, String diagnostic) {

    public enum Kind { HARD_BOUNCE, SOFT_BOUNCE, COMPLAINT }
}
